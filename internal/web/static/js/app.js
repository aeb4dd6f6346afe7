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

// Colour swatches carry their colour in data-color (inline styles are
// forbidden by the Content-Security-Policy); paint them here.
(function () {
  "use strict";
  var hex = /^#[0-9a-fA-F]{6}$/;
  function paint(root) {
    root.querySelectorAll("[data-color]").forEach(function (el) {
      var c = el.getAttribute("data-color");
      if (hex.test(c)) el.style.backgroundColor = c;
    });
  }
  paint(document);
  document.addEventListener("htmx:afterSwap", function (e) { paint(e.target); });

  // Read-only fields with data-select-on-focus (a feed URL to copy) select
  // their whole value when focused.
  document.addEventListener("focusin", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-select-on-focus")) e.target.select();
  });

  // Forms with data-confirm ask before they submit (deletions).
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
