// Live preview for `handbok serve` (never part of the built site).
// Listens for server-sent events: `reload` when a new build is in place, `error` with the
// diagnostics when a rebuild failed (shown in an overlay; the last good page stays).
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = me ? me.getAttribute("data-generation") : null;
  var overlay = null;

  function show(text) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "handbok-byggfel";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "handbok-byggfel-rubrik");
      overlay.style.cssText =
        "position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.5rem;background:#fff;color:#1a1a1a;border-bottom:6px solid #b00020;" +
        "box-shadow:0 4px 16px rgba(0,0,0,.35);font:1rem/1.5 system-ui,sans-serif";
      var heading = document.createElement("h2");
      heading.id = "handbok-byggfel-rubrik";
      heading.style.cssText = "margin:0 0 .5rem;font-size:1.25rem;color:#b00020";
      heading.textContent = "Ändringen kunde inte visas – rätta felet och spara igen";
      var help = document.createElement("p");
      help.style.margin = "0 0 .75rem";
      help.textContent =
        "Förhandsvisningen visar den senaste versionen som fungerade. Varje fel anges som fil:rad:kolumn, " +
        "med raden citerad och en ledtråd (hint) om vad du kan göra.";
      var pre = document.createElement("pre");
      pre.style.cssText =
        "margin:0;padding:.75rem;background:#f6f6f6;border:1px solid #ccc;white-space:pre-wrap;" +
        "font:0.95rem/1.45 ui-monospace,Consolas,monospace;color:#1a1a1a";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dölj";
      close.style.cssText = "margin-top:.75rem;font:inherit;padding:.25rem .75rem";
      close.addEventListener("click", hide);
      overlay.appendChild(heading);
      overlay.appendChild(help);
      overlay.appendChild(pre);
      overlay.appendChild(close);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  if (!window.EventSource) return;
  var source = null;
  function connect() {
    if (source) return;
    source = new EventSource("/__handbok/events");
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
      if (typeof e.data === "string") show(e.data);
    });
  }
  // Browsers allow only six connections per server over HTTP/1.1; background tabs give theirs
  // up so a seventh preview tab still loads, and catch up through `hello` when shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden && source) {
      source.close();
      source = null;
    } else if (!document.hidden) {
      connect();
    }
  });
  if (!document.hidden) connect();
})();
