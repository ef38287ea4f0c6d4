// Form pages: show the "Skriv ut" and "Töm formuläret" buttons (hidden without JavaScript),
// and let writing areas grow to fit their text before printing. Nothing is stored or sent.
(function () {
  "use strict";
  var bars = document.querySelectorAll(".hb-buttons");
  if (!bars.length) return;
  function controls() {
    return document.querySelectorAll(".hb-form input, .hb-form textarea");
  }
  function fit() {
    var areas = document.querySelectorAll(".hb-form textarea");
    for (var i = 0; i < areas.length; i++) {
      var t = areas[i];
      t.style.height = "";
      if (t.scrollHeight > t.clientHeight + 2) {
        // Grow the area and its ruled lines so all typed text prints on lines.
        t.style.height = t.scrollHeight + "px";
        var rules = t.parentNode.querySelector(".hb-rules");
        var rule = rules && rules.firstElementChild;
        if (rule && rule.offsetHeight > 0) {
          var need = Math.ceil(t.scrollHeight / rule.offsetHeight);
          while (rules.children.length < need) {
            var extra = document.createElement("div");
            extra.className = "hb-extra";
            rules.appendChild(extra);
          }
        }
      }
    }
  }
  function unfit() {
    var areas = document.querySelectorAll(".hb-form textarea");
    for (var i = 0; i < areas.length; i++) areas[i].style.height = "";
    var extra = document.querySelectorAll(".hb-rules .hb-extra");
    for (var k = 0; k < extra.length; k++) extra[k].parentNode.removeChild(extra[k]);
  }
  for (var i = 0; i < bars.length; i++) {
    bars[i].hidden = false;
    var print = bars[i].querySelector("[data-hb-print]");
    var clear = bars[i].querySelector("[data-hb-clear]");
    if (print) print.addEventListener("click", function () { window.print(); });
    if (clear) clear.addEventListener("click", function () {
      // The question comes from the theme's strings, in the site's language.
      if (!window.confirm(this.getAttribute("data-hb-clear"))) return;
      var all = controls();
      for (var j = 0; j < all.length; j++) {
        if (all[j].type === "checkbox") all[j].checked = false; else all[j].value = "";
      }
      unfit();
      if (all.length) all[0].focus();
    });
  }
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", unfit);
})();
