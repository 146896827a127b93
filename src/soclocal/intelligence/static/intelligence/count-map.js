// Wards shaded by how much intelligence came in (Leaflet, as the area maps; the colours come
// from the legend's swatches, so the stylesheet stays the one palette).
(function () {
  "use strict";

  function colour(band) {
    var swatch = document.querySelector('.app-legend [data-band="' + band + '"]');
    return swatch ? getComputedStyle(swatch).backgroundColor : "#b1b4b6";
  }

  function initMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    map.attributionControl.addAttribution("Contains OS data © Crown copyright and database right");
    map.setView([53.0, -1.5], 6);
    fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            return { fillColor: colour(f.properties.band), fillOpacity: 0.8, color: "#505a5f", weight: 1 };
          },
          onEachFeature: function (f, shape) {
            shape.bindTooltip(f.properties.name + ": " + f.properties.count, { sticky: true });
          },
        }).addTo(map);
        if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        el.dataset.features = String(layer.getLayers().length);
      })
      .catch(function () {
        el.textContent = "The map could not be loaded. The table lists the same counts.";
      });
  }

  document.querySelectorAll("[data-count-map]").forEach(initMap);
})();
