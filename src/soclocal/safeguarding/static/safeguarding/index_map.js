// The vulnerability index map: areas shaded by tenth of the ranked index (band 1 is the most
// vulnerable), colours taken from the legend's swatches so the stylesheet is the one palette.
(function () {
  "use strict";

  var colours = {};

  function colourFor(band) {
    var key = band ? String(band) : "none";
    if (!(key in colours)) {
      var swatch = document.querySelector('.app-legend [data-decile="' + key + '"]');
      colours[key] = swatch ? getComputedStyle(swatch).backgroundColor : "#b1b4b6";
    }
    return colours[key];
  }

  function label(p) {
    return p.name + " (" + p.code + ")" +
      (p.index === null || p.index === undefined ? ", index not shown" :
        ", index " + p.index.toFixed(2) + ", rank " + p.rank);
  }

  function initMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.addAttribution("Contains OS data © Crown copyright and database right");
    map.setView([53.0, -1.5], 6);
    fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return { fillColor: colourFor(feature.properties.band), fillOpacity: 0.8,
                     color: "#505a5f", weight: 1 };
          },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(label(feature.properties), { sticky: true });
          },
        }).addTo(map);
        el.dataset.areas = String(layer.getLayers().length);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        } else {
          el.setAttribute("aria-label", el.getAttribute("aria-label") + " No boundaries are loaded for these areas.");
        }
      })
      .catch(function () {
        el.textContent = "The map could not be loaded. The table lists the same areas.";
      });
  }

  document.querySelectorAll("[data-index-map]").forEach(initMap);
})();
