// Search with Pagefind, loaded only when someone types: without JavaScript (or without an index,
// as in the live preview) the "Find an item" link to the roadmap stays.
(function () {
  "use strict";
  var link = document.querySelector("[data-rg-search]");
  if (!link || !window.fetch || !window.Promise) return;
  var root = new URL(link.getAttribute("data-rg-root"), document.baseURI);
  var words = { label: link.getAttribute("data-rg-label") || "Search", none: link.getAttribute("data-rg-none") || "" };
  var form = document.createElement("form");
  form.className = "rg-search";
  form.setAttribute("role", "search");
  form.innerHTML = '<label class="rg-visually-hidden" for="rg-search-input"></label>' +
    '<input id="rg-search-input" type="search" autocomplete="off" spellcheck="false">' +
    '<ul class="rg-search-results" aria-live="polite" hidden></ul>';
  form.querySelector("label").textContent = words.label;  // the site's words, never parsed as markup
  form.querySelector("input").placeholder = words.label;
  var input = form.querySelector("input");
  var list = form.querySelector("ul");
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: "/" }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function text(html) {  // Pagefind's excerpt as text: nothing in it is ever markup here
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }

  function show(results) {
    list.replaceChildren();
    list.hidden = false;
    if (!results.length) {
      var none = document.createElement("li");
      none.textContent = words.none;
      list.append(none);
      return;
    }
    results.forEach(function (result) {
      var item = document.createElement("li");
      var anchor = document.createElement("a");
      anchor.href = new URL(result.url.replace(/^\//, ""), root).href;
      anchor.textContent = result.meta.title || result.url;
      item.append(anchor);
      if (result.meta.status) {
        var status = document.createElement("span");
        status.className = "rg-badge";
        status.textContent = result.meta.status;
        item.append(" ", status);
      }
      var excerpt = document.createElement("p");
      excerpt.textContent = text(result.excerpt);
      item.append(excerpt);
      list.append(item);
    });
  }

  input.addEventListener("input", function () {
    var query = input.value.trim();
    if (!query) { list.hidden = true; list.replaceChildren(); return; }
    load().then(function (module) {
      return module.debouncedSearch(query, {}, 120);
    }).then(function (search) {
      if (search === null) return null;  // a newer query replaced this one
      return Promise.all(search.results.slice(0, 8).map(function (r) { return r.data(); })).then(show);
    }).catch(function () {
      form.replaceWith(link);  // no index here: back to the link
    });
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  link.replaceWith(form);
})();
