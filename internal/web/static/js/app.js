// Klientela: small progressive enhancements. Every page works without this
// file; it only makes menus behave the way people expect.
(function () {
  "use strict";

  // Close an open <details data-menu> when clicking elsewhere or pressing Escape.
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    closeMenus(e.target.closest("details[data-menu]"));
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      var open = document.querySelector("details[data-menu][open]");
      if (open) {
        open.removeAttribute("open");
        var s = open.querySelector("summary");
        if (s) s.focus();
      }
    }
  });

  // Toasts fade away after a while; they stay in the DOM for screen readers.
  window.setTimeout(function () {
    document.querySelectorAll(".toast").forEach(function (t) { t.classList.add("toast-hide"); });
  }, 6000);
})();
