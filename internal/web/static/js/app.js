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

  // Forms with data-confirm ask before they submit (deletions).
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();

// Repeatable rows (a client's important dates): the form always has one
// empty row; "add" copies the last row with the next number and no values.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-add-row]");
    if (!btn) return;
    var box = document.getElementById(btn.getAttribute("data-add-row"));
    var rows = box ? box.querySelectorAll("[data-row]") : [];
    if (!rows.length) return;
    var last = rows[rows.length - 1], copy = last.cloneNode(true), n = rows.length;
    copy.querySelectorAll("[name],[id],[for],[aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (a) {
        var v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.replace(/\.\d+\./, "." + n + "."));
      });
    });
    copy.querySelectorAll("input").forEach(function (el) {
      if (el.type === "checkbox") el.checked = false; else el.value = "";
      el.removeAttribute("aria-invalid");
    });
    copy.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    last.parentNode.insertBefore(copy, last.nextSibling);
    var first = copy.querySelector("input");
    if (first) first.focus();
  });
})();
