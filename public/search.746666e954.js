/* The dossier's search page (search/index.html).
 *
 * Reads ?q= from the address, loads the Pagefind index built with the site (pagefind/, whose
 * address the page gives in data-pagefind), searches as the reader types, and renders the
 * results itself: kind, title link, outlet, date, and an excerpt with the matches marked.
 * Result addresses in the index are relative to the site root, so they are resolved against the
 * root computed from pagefind.js's address: the site works at any mount point.
 *
 * Opened from file://, browsers refuse the requests Pagefind makes; the page then says so and
 * offers the timeline and the article list instead. No inline script: this file is loaded with
 * <script src defer>, as a classic script (module scripts do not load from file:// at all).
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var DEBOUNCE_MS = 250;

  var box = document.getElementById("search");
  var unavailable = document.getElementById("search-unavailable");
  if (!box || !unavailable) return;

  /* Hides the search form and shows why search is unavailable: "file" or "load". */
  function showUnavailable(reason) {
    box.hidden = true;
    unavailable.hidden = false;
    unavailable.querySelectorAll("[data-reason]").forEach(function (p) {
      p.hidden = p.getAttribute("data-reason") !== reason;
    });
  }

  if (location.protocol === "file:") {
    showUnavailable("file");
    return;
  }

  var pagefindUrl = new URL(box.getAttribute("data-pagefind"), document.baseURI);
  var siteRoot = new URL("../", pagefindUrl);
  var form = box.querySelector("form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-list");
  var section = list.closest("section");
  box.hidden = false;

  var pagefind = null;
  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(pagefindUrl.href).then(function (pf) {
        return Promise.resolve(pf.options({ excerptLength: 30 })).then(function () {
          return Promise.resolve(pf.init()).then(function () { return pf; });
        });
      });
    }
    return pagefind;
  }

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content) el.textContent = content;
    return el;
  }

  /* Pagefind's excerpt is HTML: escaped text with <mark> around the matches. Keep exactly that
   * (text and <mark>), parsed in an inert <template>, never anything else. */
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var p = text("p", "search-excerpt");
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
        p.appendChild(text("mark", null, node.textContent));
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function resultItem(data) {
    var meta = data.meta || {};
    var kind = meta.kind || "Page";
    var li = text("li", "search-result");
    li.appendChild(text("p", "search-kind", kind));
    var h = text("h3", "search-title");
    var a = text("a", null, meta.title || data.raw_url || data.url);
    a.href = new URL(data.raw_url || data.url, siteRoot).href;
    h.appendChild(a);
    li.appendChild(h);
    var facts = text("p", "search-facts");
    if (meta.outlet) facts.appendChild(text("span", "search-outlet", meta.outlet));
    if (meta.date || kind === "Article") {
      if (facts.childNodes.length) facts.appendChild(document.createTextNode(" · "));
      facts.appendChild(meta.date
        ? text("span", "search-date", meta.date)
        : text("span", "search-date unknown", "date unknown"));
    }
    if (facts.childNodes.length) li.appendChild(facts);
    if (data.excerpt) li.appendChild(excerpt(data.excerpt));
    return li;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  var latest = 0;
  function run(query, updateAddress) {
    var mine = ++latest;
    var q = query.trim();
    if (updateAddress) {
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url.href);
    }
    if (!q) {
      list.replaceChildren();
      section.hidden = true;
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    loadPagefind().then(function (pf) {
      return pf.search(q);
    }).then(function (search) {
      if (mine !== latest) return null;
      var shown = search.results.slice(0, MAX_RESULTS);
      return Promise.all(shown.map(function (r) { return r.data(); })).then(function (data) {
        if (mine !== latest) return;
        list.replaceChildren.apply(list, data.map(resultItem));
        section.hidden = data.length === 0;
        var total = search.results.length;
        if (total === 0) {
          status.textContent = "No results for “" + q + "”.";
        } else if (total > data.length) {
          status.textContent = plural(total, "result", "results") + " for “" + q + "”; showing the first " + data.length + ".";
        } else {
          status.textContent = plural(total, "result", "results") + " for “" + q + "”.";
        }
      });
    }).catch(function (err) {
      if (mine !== latest) return;
      if (window.console) console.error("search:", err);
      showUnavailable("load");
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value, true); }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value, true);
  });

  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  if (initial.trim()) run(initial, false);
})();
