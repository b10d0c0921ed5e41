(function () {
  "use strict";
  var table = document.getElementById("doc-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var points = Array.prototype.slice.call(document.querySelectorAll("#forest li"));
  var panel = document.getElementById("doc-filters");
  var status = document.getElementById("filter-status");
  var selects = Array.prototype.slice.call(panel.querySelectorAll("select"));
  panel.hidden = false;

  function apply() {
    var shown = 0;
    function keep(el) {
      return selects.every(function (s) { return !s.value || el.dataset[s.dataset.filter] === s.value; });
    }
    rows.forEach(function (tr) { tr.hidden = !keep(tr); if (!tr.hidden) { shown += 1; } });
    points.forEach(function (li) { li.hidden = !keep(li); });
    status.textContent = "Showing " + shown + " of " + rows.length + " reports in the chart and the table. The headline figures always cover every report.";
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });

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
}());
