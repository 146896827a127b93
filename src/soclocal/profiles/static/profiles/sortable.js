// Sortable tables: each column heading of a [data-sortable-table] becomes a button that sorts
// the rows by that column (numbers as numbers), and says which way in aria-sort.
(function () {
  "use strict";

  function value(row, index, numeric) {
    var cell = row.children[index];
    var raw = cell ? (cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent) : "";
    if (!numeric) return raw.trim().toLowerCase();
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(table, heading, index) {
    var numeric = heading.dataset.sort === "number";
    var ascending = heading.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th[data-sort]").forEach(function (th) {
      th.setAttribute("aria-sort", "none");
    });
    heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  document.querySelectorAll("[data-sortable-table]").forEach(function (table) {
    table.querySelectorAll("thead th[data-sort]").forEach(function (heading, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "app-sort-button";
      button.textContent = heading.textContent;
      heading.textContent = "";
      heading.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, heading, index); });
    });
  });
})();
