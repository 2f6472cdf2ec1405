/* The map drawn over the list: the GeoJSON of the same filters, one marker per place coloured
   by its category, clustered. The page works without it; tiles are the only outside resource.
   When the markers are on the map, #map gets data-markers (their number) and data-ready-ms
   (performance.now()), which the browser test and the benchmark read. */
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("map");
    if (!el || !window.L || !L.markerClusterGroup) { return; }
    var labels = JSON.parse(document.getElementById("map-categories").textContent);
    el.classList.add("map-on");  // shown before Leaflet measures it
    var map = L.map(el, { scrollWheelZoom: false }).setView([46.6, 2.4], 5);
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
    // Same URL and mode as the page's <link rel="preload">: the browser reuses that response.
    fetch(el.dataset.geojson, { mode: "cors", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { draw(map, el, data, labels); })
      .catch(function () { el.dataset.failed = "1"; });
  }
  function popup(p, labels) {
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url; a.textContent = p.name;
    var strong = document.createElement("strong"); strong.appendChild(a); box.appendChild(strong);
    var line = document.createElement("div");
    line.textContent = p.commune + " · " + p.categories.map(function (c) { return labels[c] || c; }).join(", ");
    box.appendChild(line);
    if (p.distance_km !== undefined) {
      var d = document.createElement("div");
      d.textContent = p.distance_km.toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) + "\u00a0km";
      box.appendChild(d);
    }
    return box;
  }
  function draw(map, el, data, labels) {
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    var points = [];
    var markers = data.features.map(function (f) {
      var p = f.properties, c = f.geometry.coordinates;  // [longitude, latitude]
      var icon = L.divIcon({
        className: "map-marker cat-" + p.category + (p.status === "project" ? " project" : ""),
        iconSize: [18, 18], html: ""
      });
      points.push([c[1], c[0]]);
      return L.marker([c[1], c[0]], { icon: icon, title: p.name, alt: p.name })
        .bindPopup(function () { return popup(p, labels); });
    });
    // The view first, then the markers: they are drawn once, at the final zoom.
    if (el.dataset.lat) {
      var centre = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
      var circle = L.circle(centre, { radius: parseFloat(el.dataset.radius) * 1000, fill: false }).addTo(map);
      map.fitBounds(circle.getBounds(), { animate: false });
    } else if (points.length) {
      map.fitBounds(L.latLngBounds(points), { padding: [20, 20], maxZoom: 13, animate: false });
    }
    cluster.addLayers(markers);
    map.addLayer(cluster);
    el.dataset.markers = String(markers.length);
    el.dataset.readyMs = String(Math.round(performance.now()));
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
