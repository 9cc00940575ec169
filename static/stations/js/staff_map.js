/* The operator's stations on one map: circle markers (SVG, light enough for a city), coloured by state. */
(function () {
  "use strict";
  var el = document.getElementById("station-map");
  var data = document.getElementById("station-points");
  if (!el || !data) return;
  var points = JSON.parse(data.textContent);
  var m = window.NJGeo.makeMap(el);
  var bounds = [];
  var layer = L.featureGroup().addTo(m.map);
  points.forEach(function (s) {
    var p = m.place(s.lat, s.lng);
    bounds.push(p);
    var colour = s.flagged ? "#dc3545" : s.status === "open" ? "#198754" : s.status === "suspended" ? "#ffc107" : "#6c757d";
    L.circleMarker(p, { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 })
      .bindPopup(function () {
        var div = document.createElement("div");
        var a = document.createElement("a");
        a.href = s.url; a.textContent = s.name;
        var code = document.createElement("div");
        code.className = "small text-muted"; code.textContent = s.code;
        div.append(a, code);
        return div;
      })
      .addTo(layer);
  });
  el.dataset.markers = String(points.length);
  if (bounds.length) m.map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
})();
