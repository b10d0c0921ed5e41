(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("#att-table tbody tr"));
  var kind = {};
  rows.forEach(function (tr) { kind[tr.dataset.att] = { source: tr.dataset.source, cue: tr.dataset.cue }; });

  var panel = document.getElementById("filters");
  var status = document.getElementById("filter-status");
  var boxes = Array.prototype.slice.call(panel.querySelectorAll("input[type=checkbox]"));
  panel.hidden = false;

  function ids(el, name) { return (el.getAttribute(name) || "").split(" ").filter(Boolean); }

  function apply() {
    var on = { source: {}, cue: {} };
    boxes.forEach(function (b) { on[b.name][b.value] = b.checked; });
    var shown = {};
    var count = 0;
    Object.keys(kind).forEach(function (id) {
      shown[id] = on.source[kind[id].source] !== false && on.cue[kind[id].cue] !== false;
      if (shown[id]) { count += 1; }
    });
    function any(list) { return list.some(function (id) { return shown[id]; }); }
    rows.forEach(function (tr) { tr.hidden = !shown[tr.dataset.att]; });
    document.querySelectorAll("ol.flags > li").forEach(function (li) { li.hidden = !shown[li.dataset.att]; });
    document.querySelectorAll(".report-text [data-src]").forEach(function (el) {
      el.classList.toggle("off-src", !any(ids(el, "data-src")));
    });
    document.querySelectorAll(".report-text [data-cue]").forEach(function (el) {
      el.classList.toggle("off-cue", !any(ids(el, "data-cue")));
    });
    document.querySelectorAll(".report-text .tag").forEach(function (el) {
      el.hidden = !any(ids(el, "data-atts"));
    });
    status.textContent = "Showing " + count + " of " + rows.length + " attributions.";
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    apply();
  });

  framingSortable(document.getElementById("att-table"));
}());
