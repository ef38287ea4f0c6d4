// The page of a one-time link of `handbok serve`: keep the editor's key in this tab's
// sessionStorage (this tab, this origin and port only; never a cookie) and go on, replacing
// this page in the history so Back never returns to it.
(function () {
  "use strict";
  var me = document.currentScript;
  try {
    sessionStorage.setItem(me.getAttribute("data-storage"), me.getAttribute("data-token"));
  } catch (e) {
    // Storage switched off: the editor then explains how to get a working link.
  }
  location.replace(me.getAttribute("data-next") || "/");
})();
