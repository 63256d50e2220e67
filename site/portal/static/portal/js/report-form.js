/* CooperaNet report form: map pin (Leaflet, served locally), "use my location", nearby reports
 * ("this affects me too"), identity fields, and a review step before sending.
 * Everything here is an enhancement: without JavaScript the form still works with the address field. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var lang = document.documentElement.lang || "es";
  var T = lang.indexOf("en") === 0 ? {
    chosen: "Marked point: ", meters: " m away", support: "This affects me too", thanks: "Thank you, counted.",
    anonymous: "Anonymous", review: "Check and send", where: "Where", what: "What happens", photos: "Photos",
    who: "Your details", noPlace: "(no point on the map)", locating: "Looking for your location…",
    noLocation: "We could not get your location. Tap the map or type the address."
  } : {
    chosen: "Punto marcado: ", meters: " m de distancia", support: "También me afecta", thanks: "Gracias, quedó registrado.",
    anonymous: "Anónimo", review: "Revisar y enviar", where: "Dónde", what: "Qué pasa", photos: "Fotos",
    who: "Sus datos", noPlace: "(sin punto en el mapa)", locating: "Buscando su ubicación…",
    noLocation: "No pudimos obtener su ubicación. Toque el mapa o escriba la dirección."
  };
  var lat = form.querySelector("[name=latitude]");
  var lon = form.querySelector("[name=longitude]");
  var coords = document.getElementById("map-coordinates");
  var mapEl = document.getElementById("report-map");
  var marker = null;
  var map = null;

  function csrfToken() {
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setPoint(latlng, pan) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    coords.textContent = T.chosen + lat.value + ", " + lon.value;
    if (map) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: true }).addTo(map); }
      if (pan) { map.setView(latlng, 17); }
    }
    loadNearby();
  }

  if (window.L && mapEl) {
    var start = lat.value && lon.value ? [parseFloat(lat.value), parseFloat(lon.value)] : [-45.5712, -72.0685];
    map = L.map(mapEl, { center: start, zoom: lat.value ? 17 : 14 });
    var tiles = mapEl.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { attribution: mapEl.getAttribute("data-tile-attribution"), maxZoom: 19 }).addTo(map); }
    map.on("click", function (event) { setPoint(event.latlng, false); });
    if (lat.value && lon.value) { setPoint(L.latLng(start[0], start[1]), false); }
  } else if (mapEl) {
    mapEl.hidden = true;
  }

  var locate = document.getElementById("use-my-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      coords.textContent = T.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        setPoint({ lat: position.coords.latitude, lng: position.coords.longitude }, true);
      }, function () { coords.textContent = T.noLocation; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  function loadNearby() {
    var box = document.getElementById("nearby");
    var list = document.getElementById("nearby-list");
    if (!box || !lat.value) { return; }
    var url = form.getAttribute("data-nearby-url") + "?category=" + encodeURIComponent(form.getAttribute("data-category")) +
      "&lat=" + encodeURIComponent(lat.value) + "&lon=" + encodeURIComponent(lon.value);
    fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
      list.textContent = "";
      (data.results || []).forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url; link.textContent = item.folio + " · " + item.status + " · " + item.distance_m + T.meters;
        var button = document.createElement("button");
        button.type = "button"; button.className = "big-button"; button.textContent = T.support;
        button.addEventListener("click", function () {
          fetch("/api/incidents/" + encodeURIComponent(item.folio) + "/supporters/", {
            method: "POST", headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }, credentials: "same-origin"
          }).then(function (r) { if (r.ok) { button.disabled = true; button.textContent = T.thanks; } });
        });
        li.appendChild(link); li.appendChild(document.createTextNode(" ")); li.appendChild(button);
        list.appendChild(li);
      });
      box.hidden = !(data.results && data.results.length);
    }).catch(function () { box.hidden = true; });
  }

  // Identity: contact fields only when the person chooses to give them.
  var contact = document.getElementById("contact-fields");
  function syncIdentity() {
    var chosen = form.querySelector("[name=identity]:checked");
    if (contact) { contact.hidden = chosen && chosen.value === "anonymous"; }
  }
  form.querySelectorAll("[name=identity]").forEach(function (radio) { radio.addEventListener("change", syncIdentity); });
  syncIdentity();

  // Review before sending: the first press shows a summary, the second sends.
  var review = document.getElementById("review");
  var reviewList = document.getElementById("review-list");
  var submit = document.getElementById("submit-report");
  var reviewed = false;
  function addRow(term, value) {
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    reviewList.appendChild(dt); reviewList.appendChild(dd);
  }
  form.addEventListener("submit", function (event) {
    if (reviewed || !review) { submit.disabled = true; return; }
    event.preventDefault();
    reviewList.textContent = "";
    var address = form.querySelector("[name=address]").value;
    addRow(T.where, (address || "") + " " + (lat.value ? lat.value + ", " + lon.value : T.noPlace));
    addRow(T.what, form.querySelector("[name=description]").value);
    var photos = form.querySelector("[name=photos]");
    addRow(T.photos, String(photos && photos.files ? photos.files.length : 0));
    var chosen = form.querySelector("[name=identity]:checked");
    addRow(T.who, chosen && chosen.value === "anonymous" ? T.anonymous :
      [form.querySelector("[name=contact_name]").value, form.querySelector("[name=contact_phone]").value,
       form.querySelector("[name=contact_email]").value].filter(Boolean).join(" · "));
    review.hidden = false;
    reviewed = true;
    submit.textContent = submit.getAttribute("data-confirm-label") || submit.textContent;
    review.scrollIntoView({ behavior: "smooth", block: "start" });
    review.setAttribute("tabindex", "-1"); review.focus();
  });
  var edit = document.getElementById("review-edit");
  if (edit) { edit.addEventListener("click", function () { review.hidden = true; reviewed = false; }); }

  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
