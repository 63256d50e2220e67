/* CooperaNet front desk: the intake form (Enter moves on instead of sending, anonymous toggle, "find
 * citizen" prefill, emergency notice of the chosen category, optional map point) and the receipt's
 * print button. Everything here is an enhancement: without JavaScript the form posts and the server
 * checks every field. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "es";
  var T = lang.indexOf("en") === 0 ? {
    searching: "Searching…", none: "No one found. Type the details below.", failed: "The search failed. Type the details below.",
    found: " found: choose one to fill in the details.", short: "Type at least 3 characters.",
    loaded: "Details loaded: ", point: "Marked point: "
  } : {
    searching: "Buscando…", none: "No se encontró a nadie. Escriba los datos abajo.", failed: "La búsqueda falló. Escriba los datos abajo.",
    found: " encontrados: elija uno para completar los datos.", short: "Escriba al menos 3 caracteres.",
    loaded: "Datos cargados: ", point: "Punto marcado: "
  };

  /* The receipt: a print button (hidden without JavaScript, since it needs it). */
  var printButton = document.getElementById("intake-print");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
    printButton.focus();
  }

  var form = document.getElementById("intake-form");
  if (!form) { return; }

  function byName(name) { return form.querySelector("[name=" + name + "]"); }

  function isTabStop(element) {
    if (element.disabled || element.type === "hidden" || element.tabIndex < 0) { return false; }
    if (element.closest("[hidden]")) { return false; }
    if (element.type === "radio" && !element.checked) {
      // Only the checked radio of a group is a tab stop.
      return !form.querySelector("[name=" + element.name + "]:checked");
    }
    return element.offsetParent !== null || element.getClientRects().length > 0;
  }

  function focusNext(current) {
    var stops = Array.prototype.filter.call(form.querySelectorAll("input, select, textarea, button"), isTabStop);
    var index = stops.indexOf(current);
    if (index >= 0 && index + 1 < stops.length) { stops[index + 1].focus(); }
  }

  /* Enter in a field moves to the next one: only the button at the end sends the report. */
  var citizenQuery = document.getElementById("intake-citizen-q");
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.isComposing) { return; }
    var target = event.target;
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "BUTTON" || target.type === "file") { return; }
    if (tag !== "INPUT" && tag !== "SELECT") { return; }
    event.preventDefault();
    if (target === citizenQuery) { searchCitizen(); return; }
    focusNext(target);
  });

  /* Anonymous: the contact fields are switched off (and not sent). */
  var anonymous = byName("is_anonymous");
  var contactFields = ["contact_name", "contact_rut", "contact_phone", "contact_email"].map(byName);
  function syncAnonymous() {
    var off = anonymous && anonymous.checked;
    contactFields.forEach(function (field) { if (field) { field.disabled = off; } });
    var contact = document.getElementById("intake-contact");
    if (contact) { contact.classList.toggle("intake-off", !!off); }
  }
  if (anonymous) { anonymous.addEventListener("change", syncAnonymous); syncAnonymous(); }

  /* Find a citizen among earlier reports and accounts; a choice fills in the contact fields. */
  var find = document.getElementById("intake-find");
  var findButton = document.getElementById("intake-citizen-go");
  var findStatus = document.getElementById("intake-citizen-status");
  var findResults = document.getElementById("intake-citizen-results");
  var category = byName("category");

  function useCitizen(person) {
    if (anonymous) { anonymous.checked = false; syncAnonymous(); }
    var values = [person.name, person.rut, person.phone, person.email];
    contactFields.forEach(function (field, index) { if (field) { field.value = values[index] || ""; } });
    findResults.textContent = "";
    findStatus.textContent = T.loaded + (person.name || person.rut || person.phone || person.email);
    if (category) { category.focus(); }
  }

  function searchCitizen() {
    var query = citizenQuery.value.trim();
    findResults.textContent = "";
    if (query.length < 3) { findStatus.textContent = T.short; return; }
    findStatus.textContent = T.searching;
    var url = form.getAttribute("data-citizen-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        var people = data.results || [];
        findStatus.textContent = people.length ? people.length + T.found : T.none;
        people.forEach(function (person) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "intake-citizen-use";
          button.textContent = [person.name, person.rut, person.phone, person.email].filter(Boolean).join(" · ");
          button.addEventListener("click", function () { useCitizen(person); });
          item.appendChild(button);
          findResults.appendChild(item);
        });
      })
      .catch(function () { findStatus.textContent = T.failed; });
  }
  if (find && citizenQuery && findButton) {
    find.hidden = false;
    findButton.addEventListener("click", searchCitizen);
  }

  /* The chosen category's emergency notice; a category that stops the citizen form shows the number. */
  var notice = document.getElementById("intake-category-notice");
  function syncCategory() {
    if (!category || !notice) { return; }
    var option = category.options[category.selectedIndex];
    var text = option ? option.getAttribute("data-notice") || "" : "";
    var phone = option ? option.getAttribute("data-phone") || "" : "";
    var blocks = option ? option.getAttribute("data-blocks") === "1" : false;
    var needsContact = option ? option.getAttribute("data-requires-contact") === "1" : false;
    document.getElementById("intake-notice-text").textContent = text;
    document.getElementById("intake-notice-text").hidden = !text;
    document.getElementById("intake-call-number").textContent = phone;
    document.getElementById("intake-call").hidden = !(blocks && phone);
    document.getElementById("intake-call-note").hidden = !blocks;
    document.getElementById("intake-contact-note").hidden = !needsContact;
    notice.classList.toggle("intake-emergency", blocks);
    notice.hidden = !(text || blocks || needsContact);
  }
  if (category) { category.addEventListener("change", syncCategory); syncCategory(); }

  /* Optional map point (Leaflet, served locally; tiles only when a tile server is configured). */
  var mapEl = document.getElementById("intake-map");
  var lat = byName("latitude");
  var lon = byName("longitude");
  var coords = document.getElementById("intake-coordinates");
  var clear = document.getElementById("intake-clear-point");
  var map = null;
  var marker = null;

  function keepOutOfTabOrder() {
    // The map is for the mouse; keyboard users type the address, so its controls are no tab stops.
    mapEl.tabIndex = -1;
    mapEl.querySelectorAll("a, button, [tabindex]").forEach(function (element) { element.tabIndex = -1; });
  }

  function showPoint() {
    var has = !!(lat.value && lon.value);
    coords.textContent = has ? T.point + lat.value + ", " + lon.value : "";
    clear.hidden = !has;
  }

  function setPoint(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    showPoint();
  }

  if (window.L && mapEl && lat && lon) {
    var hasPoint = !!(lat.value && lon.value);
    var start = hasPoint ? [parseFloat(lat.value), parseFloat(lon.value)] : [-45.5712, -72.0685];
    map = L.map(mapEl, { center: start, zoom: hasPoint ? 17 : 14, keyboard: false });
    var tiles = mapEl.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { attribution: mapEl.getAttribute("data-tile-attribution"), maxZoom: 19 }).addTo(map); }
    map.on("click", function (event) { setPoint(event.latlng); });
    map.on("layeradd", keepOutOfTabOrder);
    if (hasPoint) { setPoint(L.latLng(start[0], start[1])); }
    keepOutOfTabOrder();
    clear.addEventListener("click", function () {
      lat.value = ""; lon.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      showPoint();
      byName("address").focus();
    });
    showPoint();
  } else if (mapEl) {
    mapEl.hidden = true;
  }

  /* One press sends once; the server also refuses to store the same form twice. */
  var submit = document.getElementById("intake-submit");
  form.addEventListener("submit", function () { if (submit) { submit.disabled = true; } });
  window.addEventListener("pageshow", function () { if (submit) { submit.disabled = false; } });

  /* After an error, start at the first field in error. */
  var firstError = form.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
  if (firstError && !firstError.disabled) { firstError.focus(); }
})();
