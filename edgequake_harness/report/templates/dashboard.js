// The dashboard's filters. Reads the facets from the JSON block and the rows' data-* attributes;
// only ever sets textContent, hidden and select values: no text from a report becomes markup.
(function () {
  "use strict";
  var names = ["provider", "feature", "mode", "outcome"];
  var facets = JSON.parse(document.getElementById("facets").textContent);
  var cases = Array.prototype.slice.call(document.querySelectorAll("details.case"));
  var matrices = Array.prototype.slice.call(document.querySelectorAll(".matrix"));
  var selects = {};
  names.forEach(function (name) {
    var select = document.getElementById("filter-" + name);
    (facets[name] || []).forEach(function (value) {
      select.appendChild(new Option(value.replace(/_/g, " "), value));
    });
    select.addEventListener("change", apply);
    selects[name] = select;
  });
  var text = document.getElementById("filter-text");
  text.addEventListener("input", apply);

  function wanted() {
    var out = {};
    names.forEach(function (name) { out[name] = selects[name].value; });
    out.text = text.value.trim().toLowerCase();
    return out;
  }

  function apply() {
    var want = wanted();
    var shown = 0;
    var counts = {};
    cases.forEach(function (el) {
      var ok = names.every(function (name) { return !want[name] || el.dataset[name] === want[name]; });
      if (ok && want.text) { ok = el.dataset.text.indexOf(want.text) >= 0; }
      el.hidden = !ok;
      if (ok) {
        shown += 1;
        counts[el.dataset.outcome] = (counts[el.dataset.outcome] || 0) + 1;
      }
    });
    matrices.forEach(function (m) {
      m.hidden = Boolean(want.mode) && m.dataset.mode !== want.mode;
      Array.prototype.forEach.call(m.querySelectorAll("tbody tr"), function (row) {
        row.hidden = Boolean(want.provider) && row.dataset.provider !== want.provider;
      });
      Array.prototype.forEach.call(m.querySelectorAll("[data-feature]"), function (cell) {
        if (cell.tagName === "TH" || cell.tagName === "TD") {
          cell.hidden = Boolean(want.feature) && cell.dataset.feature !== want.feature;
        }
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-outcome-count]"), function (el) {
      el.textContent = String(counts[el.dataset.outcomeCount] || 0);
    });
    document.getElementById("shown").textContent = shown + " of " + cases.length + " results shown";
    document.getElementById("no-match").hidden = shown !== 0;
  }

  document.getElementById("filter-reset").addEventListener("click", function () {
    names.forEach(function (name) { selects[name].value = ""; });
    text.value = "";
    apply();
  });

  // A matrix cell lists its cases: it sets the provider, feature and mode filters it stands for.
  Array.prototype.forEach.call(document.querySelectorAll("button.cell"), function (button) {
    button.addEventListener("click", function () {
      names.forEach(function (name) {
        if (name !== "outcome") { selects[name].value = button.dataset[name] || ""; }
      });
      apply();
      document.getElementById("cases").scrollIntoView();
    });
  });

  // A result whose evidence is the same as another mode's gets a copy of that result's nodes
  // when it is first opened (the page carries each piece of evidence once).
  cases.forEach(function (el) {
    el.addEventListener("toggle", function () {
      var target = el.querySelector(".sides[data-same-as]");
      if (!el.open || !target || target.childElementCount) { return; }
      var source = document.getElementById(target.dataset.sameAs);
      var sides = source && source.querySelector(".sides:not([data-same-as])");
      if (sides) {
        Array.prototype.forEach.call(sides.children, function (child) {
          target.appendChild(child.cloneNode(true));
        });
      }
    });
  });

  apply();
})();
