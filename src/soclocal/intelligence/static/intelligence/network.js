// The network drawn with Cytoscape.js from the elements in data-elements (no inline script).
// The tables on the page hold the same network, so nothing depends on this graph.
(function () {
  "use strict";

  var SHAPES = {
    person: "ellipse", organisation: "hexagon", business: "round-rectangle",
    address: "rectangle", vehicle: "triangle", phone: "diamond", online_account: "star",
  };
  var COLOURS = {
    person: "#1d70b8", organisation: "#d4351c", business: "#4c2c92", address: "#00703c",
    vehicle: "#f47738", phone: "#505a5f", online_account: "#912b88",
    child: "#1d70b8", adult: "#d4351c", place: "#00703c", online: "#912b88",
    professional: "#505a5f",
  };

  // Cytoscape adds an inline <style> (position: relative) unless an element with this id
  // exists; the strict CSP would refuse it, and the stylesheet already sets .app-network.
  function skipInlineStyle() {
    var id = "__________cytoscape_stylesheet";
    if (document.getElementById(id)) return;
    var marker = document.createElement("link");
    marker.id = id;
    document.head.appendChild(marker);
  }

  function draw(el) {
    if (typeof cytoscape !== "function") return;
    skipInlineStyle();
    var elements = JSON.parse(el.dataset.elements || '{"nodes": [], "edges": []}');
    if (!elements.nodes.length) return;
    el.hidden = false;
    var cy = cytoscape({
      container: el,
      elements: elements,
      wheelSensitivity: 0.2,
      style: [
        { selector: "node", style: {
          label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
          "background-color": function (n) { return COLOURS[n.data("kind")] || "#0b0c0c"; },
          shape: function (n) { return SHAPES[n.data("kind")] || "ellipse"; },
          width: 22, height: 22, color: "#0b0c0c",
        } },
        { selector: "edge", style: {
          width: 2, "line-color": "#b1b4b6", "curve-style": "bezier",
          label: "data(kind)", "font-size": 9, color: "#505a5f",
        } },
        { selector: "node[?on_path]", style: { "border-width": 4, "border-color": "#ffdd00" } },
        { selector: "edge[?on_path]", style: { width: 5, "line-color": "#ffdd00" } },
      ],
      maxZoom: 1.5,
      layout: { name: elements.nodes.length > 300 ? "grid" : "cose", animate: false, padding: 30,
                idealEdgeLength: function () { return 110; } },
    });
    // Choosing a node opens its page, as the link in the table does.
    cy.on("tap", "node", function (evt) {
      var id = evt.target.id();
      var link = document.querySelector('[data-entities-table] a[href$="/entities/' + id + '/"]');
      if (link) window.location.href = link.href;
    });
    el.dataset.edges = String(cy.edges().length);
    el.dataset.drawn = String(cy.nodes().length);
  }

  document.querySelectorAll("[data-network-graph]").forEach(draw);
})();
