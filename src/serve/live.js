// Live preview for `handbok serve` (never part of the built site).
// Listens for server-sent events: `reload` when a new build is in place, `error` with the
// diagnostics when a rebuild failed (shown in an overlay; the last good page stays). Adds the
// "Redigera sidan" link to the page's editor and the "Publicera" link to the review page. Its words come from the theme's string table
// (`window.handbokLiveText`, put before this script by the server).
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : null;
  var source = me ? me.getAttribute("data-source") : null;
  var text = window.handbokLiveText || {};
  var overlay = null;
  // The page listing the errors of a handbook that has never built reloads on every change.
  var notBuilt = !!document.querySelector("[data-handbok-not-built]");

  // Every served page links to the Publicera page (the review before publishing), unless this
  // handbok was built without it (the server leaves its words out).
  var publish = null;
  if (text.serve_publish_link) {
    publish = document.createElement("a");
    publish.className = "handbok-publicera";
    publish.href = "/__handbok/publicera";
    publish.textContent = text.serve_publish_link;
    publish.style.cssText =
      "display:inline-block;margin:0 0 .75rem .5rem;padding:.35rem .8rem;border:2px solid currentColor;" +
      "border-radius:.3rem;font-weight:600";
  }

  if (source) {
    var link = document.createElement("a");
    link.className = "handbok-redigera";
    link.href = "/__handbok/redigera?sida=" + encodeURIComponent(source);
    link.textContent = text.serve_edit_page || "Redigera sidan";
    link.style.cssText =
      "display:inline-block;margin:0 0 .75rem;padding:.35rem .8rem;border:2px solid currentColor;" +
      "border-radius:.3rem;font-weight:600";
    var title = document.querySelector("main h1");
    if (title && title.parentNode) title.parentNode.insertBefore(link, title);
    else if (document.querySelector("main")) document.querySelector("main").prepend(link);
    if (publish) link.after(publish);
  } else {
    var main = document.querySelector("main");
    if (main && publish && !notBuilt) main.prepend(publish);
  }

  function show(report) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "handbok-byggfel";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "handbok-byggfel-rubrik");
      overlay.style.cssText =
        "position:relative;max-height:80vh;overflow:auto;" +
        "margin:0;padding:1rem 1.5rem;background:#fff;color:#1a1a1a;border-bottom:6px solid #b00020;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.35);font:1rem/1.5 system-ui,sans-serif";
      var heading = document.createElement("h2");
      heading.id = "handbok-byggfel-rubrik";
      heading.style.cssText = "margin:0 0 .5rem;font-size:1.25rem;color:#b00020";
      heading.textContent = text.serve_error_title;
      var help = document.createElement("p");
      help.style.margin = "0 0 .75rem";
      help.textContent = text.serve_error_help;
      var pre = document.createElement("pre");
      pre.style.cssText =
        "margin:0;padding:.75rem;background:#f6f6f6;border:1px solid #ccc;white-space:pre-wrap;" +
        "font:0.95rem/1.45 ui-monospace,Consolas,monospace;color:#1a1a1a";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = text.serve_hide;
      close.style.cssText = "margin-top:.75rem;font:inherit;padding:.25rem .75rem";
      close.addEventListener("click", hide);
      overlay.appendChild(heading);
      overlay.appendChild(help);
      overlay.appendChild(pre);
      overlay.appendChild(close);
      // First in the page and in its flow: read first, its button the first Tab stop, and
      // it covers nothing (a fixed box would hide what gets focus under it). Shown at once.
      document.body.insertBefore(overlay, document.body.firstChild);
      window.scrollTo(0, 0);
    }
    overlay.querySelector("pre").textContent = report;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  if (!window.EventSource) return;
  var stream = null;
  var lastError = null;
  function connect() {
    if (stream) return;
    var source = (stream = new EventSource("/__handbok/events"));
    source.addEventListener("hello", function (e) {
      // The current state follows: an `error` event if the last build failed.
      hide();
      // A new build landed while this page was loading or hidden: fetch it.
      if (generation !== null && e.data !== generation) location.reload();
    });
    source.addEventListener("reload", function () {
      location.reload();
    });
    source.addEventListener("error", function (e) {
      if (typeof e.data !== "string") return;
      if (notBuilt) {
        if (e.data !== lastError && lastError !== null) location.reload();
        lastError = e.data;
      } else {
        show(e.data);
      }
    });
  }
  // Browsers allow only six connections per server over HTTP/1.1; background tabs give theirs
  // up so a seventh preview tab still loads, and catch up through `hello` when shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && stream) {
      stream.close();
      stream = null;
    } else if (!document.hidden) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
