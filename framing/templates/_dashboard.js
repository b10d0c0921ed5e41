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

  framingSortable(table);
}());
