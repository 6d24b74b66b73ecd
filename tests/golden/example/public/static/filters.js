// Filters for the roadmap, kept in the address (?tag=security&persona=priya-it-admin) so a
// filtered view can be shared and survives a reload. Without JavaScript the form stays hidden
// and tags, personas and objectives have pages of their own. The words come from the page
// (data-rg-* attributes, in the site's language) and are only ever set as text.
(function () {
  "use strict";
  var form = document.querySelector("[data-rg-filters]");
  if (!form || !window.URLSearchParams || !window.history.replaceState) return;
  var names = ["status", "objective", "persona", "tag"];
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-rg-item]"));
  var status = form.querySelector("[role=status]");
  var unknown = [];

  function words(value) { return (value || "").split(" ").filter(Boolean); }

  function fill(text, values) {
    return text.replace(/\{([a-z_]+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function matches(item, chosen) {
    return (!chosen.status || item.getAttribute("data-status") === chosen.status) &&
      (!chosen.objective || item.getAttribute("data-objective") === chosen.objective) &&
      (!chosen.persona || words(item.getAttribute("data-personas")).indexOf(chosen.persona) >= 0) &&
      (!chosen.tag || words(item.getAttribute("data-tags")).indexOf(chosen.tag) >= 0);
  }

  function chosenValues() {
    var chosen = {};
    names.forEach(function (name) {
      var field = form.elements.namedItem(name);
      chosen[name] = field ? field.value : "";
    });
    return chosen;
  }

  function apply() {
    var chosen = chosenValues();
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, chosen);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll(".rg-column, .rg-shipped").forEach(function (section) {
      var count = section.querySelector(".rg-count");
      var left = section.querySelectorAll("[data-rg-item]:not([hidden])").length;
      if (count) count.textContent = left;
      var empty = section.querySelector("[data-rg-filter-empty]");
      if (empty) empty.hidden = left > 0 || !section.querySelector("[data-rg-item]");
    });
    var params = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      if (chosen[name]) params.set(name, chosen[name]); else params.delete(name);
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    var filtering = names.some(function (name) { return chosen[name]; });
    var messages = unknown.map(function (value) { return fill(form.getAttribute("data-rg-unknown"), { value: value }); });
    if (filtering) {
      messages.push(fill(form.getAttribute("data-rg-matching"), { shown: shown, total: items.length }));
    }
    status.textContent = messages.join(" ");
  }

  var params = new URLSearchParams(window.location.search);
  names.forEach(function (name) {
    var field = form.elements.namedItem(name);
    var wanted = params.get(name);
    if (!wanted) return;
    if (field && field.querySelector('option[value="' + CSS.escape(wanted) + '"]')) field.value = wanted;
    else unknown.push(wanted);  // said once, then dropped from the address
  });
  form.addEventListener("change", function () { unknown = []; apply(); });
  form.addEventListener("reset", function () { unknown = []; window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (!window.matchMedia("(scripting: enabled)").matches) form.style.display = "block";  // older browsers
  apply();
})();
