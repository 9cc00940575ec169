/* The H5 station finder: locate me, nearest stations by distance, amenity and open-now filters. */
(function () {
  "use strict";
  var root = document.getElementById("station-finder");
  if (!root) return;
  var el = document.getElementById("station-map");
  var list = document.getElementById("station-list");
  var status = document.getElementById("locate-status");
  var t = root.dataset;
  var m = window.NJGeo.makeMap(el);
  var markers = L.layerGroup().addTo(m.map);
  var here = null, seq = 0, position = null;

  function say(text) { status.textContent = text; }
  function fmtDistance(d) { return d < 1000 ? d + " 米" : (d / 1000).toFixed(d < 10000 ? 1 : 0) + " 公里"; }
  function filters() {
    var ams = [].map.call(root.querySelectorAll("input[name=amenity]:checked"), function (i) { return i.value; });
    return { amenity: ams.join(","), open_now: document.getElementById("open-now").checked };
  }

  function render(results) {
    list.innerHTML = "";
    markers.clearLayers();
    var bounds = [];
    if (position) bounds.push(m.place(position.lat, position.lng));
    if (!results.length) {
      var empty = document.createElement("li");
      empty.className = "list-group-item text-muted";
      empty.textContent = t.emptyText;
      list.appendChild(empty);
    }
    results.forEach(function (s, i) {
      var li = document.createElement("li");
      li.className = "list-group-item station-item";
      li.dataset.code = s.code;
      var a = document.createElement("a");
      a.href = t.detailBase + encodeURIComponent(s.code) + "/";
      a.className = "fw-bold station-name stretched-link text-decoration-none";
      a.textContent = (i + 1) + ". " + s.name;
      var dist = document.createElement("span");
      dist.className = "badge text-bg-light distance float-end";
      dist.textContent = fmtDistance(s.distance_m);
      var open = document.createElement("span");
      open.className = "badge ms-1 " + (s.open_now ? "text-bg-success" : "text-bg-secondary");
      open.textContent = s.open_now ? t.openText : t.closedText;
      var meta = document.createElement("div");
      meta.className = "small text-muted";
      meta.textContent = s.type + " · " + s.address;
      var ams = document.createElement("div");
      ams.className = "small";
      ams.textContent = s.amenities.join(" · ");
      li.append(dist, a, open, meta, ams);
      list.appendChild(li);
      var p = m.place(s.lat, s.lng);
      bounds.push(p);
      L.marker(p, { icon: m.icon, title: s.name, alt: s.name })
        .bindPopup("<b></b><br><a></a>")
        .on("popupopen", function (ev) {
          var c = ev.popup.getElement();
          c.querySelector("b").textContent = s.name + " · " + fmtDistance(s.distance_m);
          var link = c.querySelector("a");
          link.href = a.href;
          link.textContent = t.detailText;
        })
        .addTo(markers);
    });
    if (bounds.length) m.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  }

  function search() {
    if (!position) return;
    var f = filters();
    var params = new URLSearchParams({ lat: position.lat.toFixed(6), lng: position.lng.toFixed(6), coord: "wgs84", limit: "20" });
    if (f.amenity) params.set("amenity", f.amenity);
    if (f.open_now) params.set("open_now", "true");
    var mine = ++seq;
    say(t.searchingText);
    fetch(t.api + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (mine !== seq) return;
        if (!res.ok) {
          var b = res.body || {};
          var msg = b.detail || Object.keys(b).map(function (k) { return [].concat(b[k]).join(" "); }).join(" ");
          say(msg || t.errorText);
          render([]);
          return;
        }
        say(t.foundText.replace("%s", res.body.results.length));
        render(res.body.results);
      })
      .catch(function () { if (mine === seq) say(t.errorText); });
  }

  function setPosition(lat, lng) {
    position = { lat: lat, lng: lng };
    var p = m.place(lat, lng);
    if (here) here.setLatLng(p);
    else here = L.marker(p, { icon: L.divIcon({ className: "user-dot", iconSize: [16, 16] }), title: t.hereText, keyboard: false }).addTo(m.map);
    search();
  }

  function locate() {
    if (!navigator.geolocation) { say(t.noGeoText); return; }
    say(t.locatingText);
    navigator.geolocation.getCurrentPosition(
      function (pos) { setPosition(pos.coords.latitude, pos.coords.longitude); },
      function () { say(t.deniedText); },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  }

  document.getElementById("locate").addEventListener("click", locate);
  root.querySelectorAll("input[name=amenity], #open-now").forEach(function (i) { i.addEventListener("change", search); });
  m.map.on("click", function (ev) {
    var w = el.dataset.tileCoord === "gcj02" ? window.NJGeo.gcjToWgs(ev.latlng.lat, ev.latlng.lng) : [ev.latlng.lat, ev.latlng.lng];
    setPosition(w[0], w[1]);
  });
  locate();
})();
