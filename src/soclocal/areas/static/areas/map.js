// Maps of small areas shaded by deprivation decile (Leaflet, no tiles unless configured).
// A map with data-pick-input="members" also chooses areas: selecting one ticks or unticks
// its checkbox in the form, which stays the way to choose without a mouse or JavaScript.
(function () {
  "use strict";

  var ATTRIBUTION = "Contains OS data © Crown copyright and database right";
  var colours = {};

  // The colours come from the legend's swatches, so the stylesheet is the one palette.
  function colourFor(decile) {
    var key = decile ? String(decile) : "none";
    if (!(key in colours)) {
      var swatch = document.querySelector('.app-legend [data-decile="' + key + '"]');
      colours[key] = swatch ? getComputedStyle(swatch).backgroundColor : "#b1b4b6";
    }
    return colours[key];
  }

  function checkboxes(name) {
    var found = {};
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      found[box.value] = box;
    });
    return found;
  }

  function initMap(el) {
    var map = L.map(el, { scrollWheelZoom: false });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }
    map.attributionControl.addAttribution(ATTRIBUTION);
    map.setView([53.0, -1.5], 6);

    var boxes = el.dataset.pickInput ? checkboxes(el.dataset.pickInput) : null;
    var count = document.querySelector("[data-picked-count]");
    var layersByCode = {};

    function chosen(code) {
      return boxes && boxes[code] && boxes[code].checked;
    }

    function style(feature) {
      var code = feature.properties.code;
      return {
        fillColor: colourFor(feature.properties.imd_decile),
        fillOpacity: boxes ? (chosen(code) ? 0.9 : 0.35) : 0.8,
        color: chosen(code) ? "#0b0c0c" : "#505a5f",
        weight: chosen(code) ? 3 : 1,
      };
    }

    function showCount() {
      if (!boxes || !count) return;
      var n = Object.keys(boxes).filter(chosen).length;
      count.textContent = n + (n === 1 ? " area chosen" : " areas chosen");
    }

    function label(p) {
      return p.name + " (" + p.code + ")" +
        (p.imd_decile ? ", decile " + p.imd_decile : ", no deprivation data") +
        (p.population !== null && p.population !== undefined ? ", population " + p.population : "");
    }

    fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: style,
          onEachFeature: function (feature, shape) {
            layersByCode[feature.properties.code] = shape;
            shape.bindTooltip(label(feature.properties), { sticky: true });
            if (boxes && boxes[feature.properties.code]) {
              shape.on("click", function () {
                var box = boxes[feature.properties.code];
                box.checked = !box.checked;
                box.dispatchEvent(new Event("change", { bubbles: true }));
              });
            }
          },
        }).addTo(map);
        if (layer.getLayers().length) {
          map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        } else {
          el.setAttribute("aria-label", el.getAttribute("aria-label") + " No boundaries are loaded for these areas.");
        }
        showCount();
      })
      .catch(function () {
        el.textContent = "The map could not be loaded. The table lists the same areas.";
      });

    if (boxes) {
      Object.keys(boxes).forEach(function (code) {
        boxes[code].addEventListener("change", function () {
          var shape = layersByCode[code];
          if (shape) shape.setStyle(style(shape.feature));
          showCount();
        });
      });
    }
  }

  document.querySelectorAll("[data-area-map]").forEach(initMap);
})();
