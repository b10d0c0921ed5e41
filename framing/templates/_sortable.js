// Sortable tables, shared by the audit and the dashboard: each header <button> sorts by its column
// (numbers when the <th> has data-type="number"; a cell's data-sort overrides its text; empty cells
// last) and the <th> says the order in aria-sort.
function framingSortable(table) {
  "use strict";
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
  heads.forEach(function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { if (h.querySelector("button")) { h.setAttribute("aria-sort", "none"); } });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.dataset.type === "number";
      function value(tr) {
        var cell = tr.cells[column];
        var raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
        return numeric ? (raw === "" ? null : Number(raw)) : raw;
      }
      var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = value(a), y = value(b);
        if (x === null || y === null) { return (x === null) - (y === null); }  // empty always last
        var order = numeric ? x - y : x.localeCompare(y);
        return ascending ? order : -order;
      });
      sorted.forEach(function (tr) { body.appendChild(tr); });
    });
  });
}
