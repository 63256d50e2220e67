/* Dashboard charts (vendored Chart.js UMD) and the hot-spot map (Leaflet + leaflet.heat), no CDN.
 *
 * Charts: every <canvas data-chart="ID"> takes {type, label, labels, values} from the JSON of
 * <script id="indicator-charts">; the same figures are in the table after each chart.
 * Map: the element with data-heat names a JSON list of grid cells [lat, lon, n] (never single reports).
 */
(function () {
  "use strict";

  var COLOUR = "#0b4f8a";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function drawCharts() {
    var charts = readJson("indicator-charts");
    if (!charts || typeof Chart === "undefined") {
      return;
    }
    Chart.defaults.font.size = 15;
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (canvas) {
      var spec = charts[canvas.dataset.chart];
      if (!spec) {
        return;
      }
      canvas.dataset.drawn = "true";
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: [{
            label: spec.label,
            data: spec.values,
            backgroundColor: COLOUR,
            borderColor: COLOUR,
            tension: 0.2,
            fill: false,
          }],
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: spec.type === "bar" && spec.labels.length > 6 ? "y" : "x",
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
        },
      });
    });
  }

  function drawMap() {
    var container = document.querySelector("[data-heat]");
    if (!container || typeof L === "undefined") {
      return;
    }
    var cells = readJson(container.dataset.heat) || [];
    container.textContent = "";
    var map = L.map(container, { scrollWheelZoom: false, dragging: !L.Browser.mobile });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution,
        maxZoom: 18,
      }).addTo(map);
    }
    if (!cells.length) {
      map.setView([-45.5712, -72.0685], 13); // Coyhaique
      return;
    }
    var max = cells.reduce(function (top, cell) { return Math.max(top, cell[2]); }, 1);
    if (typeof L.heatLayer === "function") {
      L.heatLayer(cells, { radius: 30, blur: 20, max: max, minOpacity: 0.35 }).addTo(map);
    }
    map.fitBounds(cells.map(function (cell) { return [cell[0], cell[1]]; }), { padding: [20, 20], maxZoom: 15 });
    container.dataset.drawn = "true";
  }

  function start() {
    drawCharts();
    drawMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
