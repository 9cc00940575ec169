/* WGS-84 -> GCJ-02 (eviltransform), for drawing on GCJ-02 tiles; the server does the rest. */
(function () {
  "use strict";
  var A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lat, lng) { return !(lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271); }
  function tLat(x, y) {
    var r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLng(x, y) {
    var r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function wgsToGcj(lat, lng) {
    if (outOfChina(lat, lng)) return [lat, lng];
    var dLat = tLat(lng - 105, lat - 35), dLng = tLng(lng - 105, lat - 35);
    var rad = lat / 180 * Math.PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLng = (dLng * 180) / (A / sq * Math.cos(rad) * Math.PI);
    return [lat + dLat, lng + dLng];
  }
  function gcjToWgs(lat, lng) {
    var w = [lat, lng];
    for (var i = 0; i < 30; i++) {
      var g = wgsToGcj(w[0], w[1]);
      var e0 = g[0] - lat, e1 = g[1] - lng;
      w = [w[0] - e0, w[1] - e1];
      if (Math.abs(e0) < 1e-10 && Math.abs(e1) < 1e-10) break;
    }
    return w;
  }
  /* Leaflet helpers shared by the public and staff maps: icon URLs come from {% static %} (the
     manifest-hashed names defeat Leaflet's own detection), tiles only when configured. */
  function makeMap(el) {
    var d = el.dataset;
    var map = L.map(el, { zoomControl: true, attributionControl: !!d.tileUrl }).setView([43.8868, 125.3245], 11);
    if (d.tileUrl) {
      L.tileLayer(d.tileUrl, { maxZoom: 19, attribution: d.tileAttribution || "" }).addTo(map);
    } else {
      var note = document.createElement("div");
      note.className = "no-tiles text-muted";
      note.textContent = d.noTilesText || "";
      el.appendChild(note);
    }
    var icon = L.icon({
      iconUrl: d.iconUrl, iconRetinaUrl: d.iconRetinaUrl, shadowUrl: d.shadowUrl,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
    });
    var gcj = d.tileCoord === "gcj02";
    return {
      map: map, icon: icon,
      /* a WGS-84 point in the tiles' system */
      place: function (lat, lng) { return gcj ? wgsToGcj(lat, lng) : [lat, lng]; }
    };
  }
  window.NJGeo = { wgsToGcj: wgsToGcj, gcjToWgs: gcjToWgs, makeMap: makeMap };
})();
