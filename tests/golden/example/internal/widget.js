/* "What's new": a launcher for your own pages, made by roadmapgen (docs/themes.md, "On your own pages").
   <script src=".../widget.js" defer></script>, from the roadmap's address (add data-target="#id" to put the
   button in an element of yours). It reads feed.json beside this file and nothing else: no cookies, no other host; what the
   visitor last saw is kept in their browser (localStorage). Style it with CSS custom properties:
   --roadmapgen-accent, --roadmapgen-accent-text, --roadmapgen-background, --roadmapgen-text, --roadmapgen-font. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL || !window.Intl || !Element.prototype.attachShadow) return;
  var words = {"all": "See the full roadmap", "button": "What\u0027s new", "changes": "Roadmap changes", "close": "Close", "language": "en", "none": "Nothing new yet.", "releases": "Releases", "title": "What\u0027s new in Brightdesk", "unread": " new"};
  var colours = {"accent": "#1f5f99", "link": "#1f5f99", "text": "#ffffff"};
  var feedUrl = new URL("feed.json", script.src).href;
  var seenKey = "roadmapgen-widget-seen:" + feedUrl;
  var host = document.createElement("div");
  var wanted = script.getAttribute("data-target");
  var target = null;
  host.setAttribute("data-roadmapgen-widget", "");
  var root = host.attachShadow({ mode: "open" });
  root.innerHTML =
    "<style>" +
    ":host { all: initial; font: 15px/1.45 var(--roadmapgen-font, system-ui, sans-serif); color-scheme: light; }" +
    ".launcher { right: 1.25rem; bottom: 1.25rem; z-index: 2147483000; } .launcher.inline { position: static !important; }" +
    "button.open { font: inherit; font-weight: 600; cursor: pointer; border: 0; border-radius: 999px; padding: .55rem 1rem;" +
    " background: var(--roadmapgen-accent, " + colours.accent + "); color: var(--roadmapgen-accent-text, " + colours.text + "); box-shadow: 0 2px 10px rgba(0,0,0,.2); }" +
    "button:focus-visible, a:focus-visible, h2:focus-visible { outline: 3px solid #f0a400; outline-offset: 2px; }" +
    ".count { display: inline-block; min-width: 1.4em; margin-left: .4em; padding: 0 .35em; border-radius: 999px;" +
    " background: var(--roadmapgen-accent-text, " + colours.text + "); color: var(--roadmapgen-accent, " + colours.accent + "); }" +
    ".panel { position: absolute; right: 0; bottom: 3.2rem; width: min(24rem, 90vw); max-height: min(32rem, 70vh); overflow: auto;" +
    " background: var(--roadmapgen-background, #ffffff); color: var(--roadmapgen-text, #17202a); border: 1px solid #dde2e8;" +
    " border-radius: 10px; box-shadow: 0 8px 30px rgba(0,0,0,.2); padding: .5rem 1rem 1rem; text-align: left; }" +
    ".launcher.inline .panel { position: relative; bottom: auto; margin-top: .5rem; }" +
    ".panel[hidden] { display: none; } h2 { font-size: 1.1rem; margin: .5rem 0; } h3 { font-size: .95rem; margin: 1rem 0 .3rem; }" +
    "ul { list-style: none; margin: 0; padding: 0; } li { padding: .35rem 0; border-bottom: 1px solid #dde2e8; }" +
    "a { color: var(--roadmapgen-link, " + colours.link + "); } time { display: block; font-size: .85rem; color: #56606b; }" +
    ".head { display: flex; justify-content: space-between; align-items: center; gap: 1rem; }" +
    "button.close { font: inherit; cursor: pointer; background: none; border: 1px solid #dde2e8; border-radius: 6px; padding: .2rem .5rem; color: inherit; }" +
    "</style>" +
    '<div class="launcher"><button class="open" type="button" aria-expanded="false" aria-controls="panel">' +
    '<span class="label"></span><span class="count" hidden></span></button>' +
    '<section class="panel" id="panel" aria-labelledby="title" hidden><div class="head"><h2 id="title" tabindex="-1"></h2>' +
    '<button class="close" type="button"></button></div><div class="entries"></div>' +
    '<p><a class="all" target="_top"></a></p></section></div>';
  var launcher = root.querySelector(".launcher");
  launcher.style.position = "fixed";
  var open = root.querySelector("button.open");
  var count = root.querySelector(".count");
  var panel = root.querySelector(".panel");
  var heading = root.querySelector("h2");
  root.querySelector(".label").textContent = words.button;
  root.querySelector("button.close").textContent = words.close;
  heading.textContent = words.title;
  var all = root.querySelector("a.all");
  all.textContent = words.all;
  all.href = new URL("roadmap/", script.src).href;
  var latest = "";
  var dates = new Intl.DateTimeFormat(words.language, { dateStyle: "medium", timeZone: "UTC" });

  function safe(url) {  // only the roadmap's own web pages are linked, whatever a feed holds
    try {
      var parsed = new URL(url, feedUrl);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) { return null; }
  }

  function entry(title, detail, day, url) {
    var item = document.createElement("li");
    var link = document.createElement(safe(url) ? "a" : "span");
    if (safe(url)) { link.href = safe(url); link.target = "_top"; }
    link.textContent = title;
    item.append(link);
    if (detail) item.append(document.createTextNode(": " + detail));
    var when = document.createElement("time");
    when.dateTime = day;
    when.textContent = dates.format(new Date(day + "T00:00:00Z"));
    item.append(when);
    return item;
  }

  function section(title, entries) {
    var box = document.createDocumentFragment();
    if (!entries.length) return box;
    var heading = document.createElement("h3");
    heading.textContent = title;
    var list = document.createElement("ul");
    entries.forEach(function (item) { list.append(item); });
    box.append(heading, list);
    return box;
  }

  function showCount(number) {
    count.hidden = number === 0;
    count.textContent = number > 99 ? "99+" : String(number);
    open.setAttribute("aria-label", number ? words.button + ", " + words.unread.replace("{count}", number) : words.button);
  }

  function toggle(show) {
    panel.hidden = !show;
    open.setAttribute("aria-expanded", String(show));
    if (show) {
      heading.focus();
      try { window.localStorage.setItem(seenKey, latest); } catch (error) { /* private mode: count again */ }
      showCount(0);
    } else {
      open.focus();
    }
  }

  open.addEventListener("click", function () { toggle(panel.hidden); });
  root.querySelector("button.close").addEventListener("click", function () { toggle(false); });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") toggle(false); });

  fetch(feedUrl, { credentials: "omit" }).then(function (response) {
    if (!response.ok) throw new Error("feed.json: " + response.status);
    return response.json();
  }).then(function (feed) {
    var releases = (feed.items || []).slice(0, 5).map(function (item) {
      return { day: String(item.date_published || "").slice(0, 10), node: entry(item.title, "", String(item.date_published || "").slice(0, 10), item.url) };
    });
    var changes = ((feed._roadmapgen || {}).changes || []).slice(0, 8).map(function (change) {
      return { day: change.date, node: entry(change.title, change.change, change.date, change.url) };
    });
    var days = releases.concat(changes).map(function (found) { return found.day; }).sort();
    latest = days.length ? days[days.length - 1] : "";
    var seen = "";
    try { seen = window.localStorage.getItem(seenKey) || ""; } catch (error) { seen = ""; }
    var entries = root.querySelector(".entries");
    if (!days.length) {
      var none = document.createElement("p");
      none.textContent = words.none;
      entries.append(none);
    }
    entries.append(section(words.releases, releases.map(function (found) { return found.node; })),
                   section(words.changes, changes.map(function (found) { return found.node; })));
    showCount(days.filter(function (day) { return day > seen; }).length);
  }).catch(function () { host.remove(); });  // no feed here: no button

  function place() {
    try { target = wanted ? document.querySelector(wanted) : null; } catch (error) { target = null; }
    if (target) launcher.classList.add("inline");
    (target || document.body).append(host);
  }

  if (document.body) place(); else document.addEventListener("DOMContentLoaded", place);
})();
