// The profile map: small areas shaded by crime rate (fifths), hotspots outlined (Leaflet).
(function () {
  "use strict";

  var ATTRIBUTION = "Contains OS data © Crown copyright and database right";

  // The colours come from the legend's swatches, so the stylesheet is the one palette.
  function swatch(selector, fallback) {
    var el = document.querySelector(".app-legend " + selector);
    return el ? getComputedStyle(el).backgroundColor : fallback;
  }

  function initMap(el) {
    // Fractional zoom, so the area fills the map rather than the nearest whole zoom level.
    var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.25 });
    if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    map.attributionControl.addAttribution(ATTRIBUTION);
    map.setView([53.0, -1.5], 6);
    var hotColour = swatch('[data-hotspot="hot"]', "#1d70b8");

    fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var rates = data.features.map(function (f) { return f.properties.rate; })
          .filter(function (r) { return typeof r === "number"; }).sort(function (a, b) { return a - b; });
        function fifth(rate) {
          if (typeof rate !== "number" || !rates.length) return "none";
          var below = rates.filter(function (r) { return r < rate; }).length;
          return String(Math.min(5, Math.floor((5 * below) / rates.length) + 1));
        }
        var areas = L.geoJSON(data, {
          style: function (f) {
            return { fillColor: swatch('[data-rate="' + fifth(f.properties.rate) + '"]', "#b1b4b6"),
                     fillOpacity: 0.75, color: "#505a5f", weight: 1 };
          },
          onEachFeature: function (f, shape) {
            var p = f.properties;
            shape.bindTooltip(p.name + " (" + p.code + "): " + p.count + " crimes" +
              (typeof p.rate === "number" ? ", " + p.rate + " per 1,000" : "") +
              (p.hotspot ? ", " + p.hotspot + " spot" : ""), { sticky: true });
          },
        }).addTo(map);
        var hot = L.geoJSON({ type: "FeatureCollection", features: data.features.filter(function (f) {
          return f.properties.hotspot === "hot"; }) },
          { style: { fill: false, color: hotColour, weight: 4, opacity: 1 }, interactive: false });
        hot.addTo(map);
        L.control.layers(null, { "Hotspots (Gi*)": hot }).addTo(map);
        // Fit the area itself, after the container has its final size.
        map.invalidateSize();
        if (areas.getLayers().length) map.fitBounds(areas.getBounds(), { padding: [8, 8] });
        el.dataset.loaded = String(areas.getLayers().length);
      })
      .catch(function () {
        el.textContent = "The map could not be loaded. The table lists the same areas.";
      });
  }

  document.querySelectorAll("[data-profile-map]").forEach(initMap);
})();
