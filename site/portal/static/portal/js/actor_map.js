/* Maps of the actor directory, drawn with the Leaflet the project serves itself (no CDN).
 *
 * Each element with data-map-points names a <script type="application/json"> holding
 * [{name, url, address, lat, lon}]. Tiles come only from data-tile-url (settings.MAP_TILE_URL);
 * without it the map shows the pins on a plain background, since the server has no internet.
 */
(function () {
  "use strict";

  function popupFor(points) {
    // Built from DOM nodes, never HTML strings: names come from editors.
    var box = document.createElement("div");
    points.forEach(function (point) {
      var line = document.createElement("p");
      var name = document.createElement(point.url ? "a" : "strong");
      if (point.url) {
        name.href = point.url;
      }
      name.textContent = point.name;
      line.appendChild(name);
      if (point.address) {
        line.appendChild(document.createElement("br"));
        line.appendChild(document.createTextNode(point.address));
      }
      box.appendChild(line);
    });
    return box;
  }

  function draw(container) {
    var source = document.getElementById(container.dataset.mapPoints);
    if (!source || typeof L === "undefined") {
      return;
    }
    var points = JSON.parse(source.textContent);
    if (!points.length) {
      return;
    }
    container.textContent = ""; // the no-JavaScript note
    // On phones a one-finger drag scrolls the page instead of trapping it in the map.
    var map = L.map(container, { scrollWheelZoom: false, dragging: !L.Browser.mobile });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution,
        maxZoom: 19,
      }).addTo(map);
    }
    // Several offices share a building (the municipality): one pin lists them all.
    var byPlace = {};
    points.forEach(function (point) {
      var key = point.lat + "," + point.lon;
      (byPlace[key] = byPlace[key] || []).push(point);
    });
    var corners = [];
    Object.keys(byPlace).forEach(function (key) {
      var here = byPlace[key];
      var latlng = [here[0].lat, here[0].lon];
      var title = here.map(function (point) { return point.name; }).join(" · ");
      L.marker(latlng, { title: title, alt: title, riseOnHover: true }).addTo(map).bindPopup(popupFor(here));
      corners.push(latlng);
    });
    if (corners.length === 1) {
      map.setView(corners[0], Number(container.dataset.zoom) || 16);
    } else {
      // As close as the pins allow: the offices sit a few blocks apart and would hide each other.
      map.fitBounds(corners, { padding: [30, 30], maxZoom: 18 });
    }
    container.classList.add("map-ready");
  }

  document.querySelectorAll("[data-map-points]").forEach(draw);
})();
