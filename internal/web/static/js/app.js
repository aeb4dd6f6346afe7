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

// File uploads (forms with data-upload): drop files on the zone or pick
// them, and they go at once in one request, with a progress bar. Sizes are
// checked here first for a quick answer; the server checks them again.
(function () {
  "use strict";
  function fill(tpl, vars) {
    return (tpl || "").replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? vars[k] : m; });
  }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector("[data-dropzone]");
    var box = form.querySelector("[data-progress]");
    var bar = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var errBox = form.querySelector("[data-upload-error]");
    var busy = false;
    input.required = false;
    function fail(msg) {
      errBox.textContent = msg;
      errBox.hidden = false;
      box.hidden = true;
      busy = false;
      zone.classList.remove("is-busy");
      input.value = "";
    }
    function send(files) {
      if (busy || !files || !files.length) return;
      errBox.hidden = true;
      var max = Number(form.getAttribute("data-max-size"));
      var free = Number(form.getAttribute("data-free"));
      var total = 0;
      for (var i = 0; i < files.length; i++) {
        if (files[i].size > max) { fail(fill(form.getAttribute("data-too-large"), { name: files[i].name })); return; }
        total += files[i].size;
      }
      if (total > free) { fail(form.getAttribute("data-quota")); return; }
      var fd = new FormData();
      form.querySelectorAll('input[type="hidden"]').forEach(function (h) { fd.append(h.name, h.value); });
      for (var j = 0; j < files.length; j++) fd.append("file", files[j], files[j].name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.min(100, Math.floor(e.loaded * 100 / e.total));
        bar.value = pct;
        status.textContent = fill(form.getAttribute("data-sending"), { pct: pct, n: files.length });
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status >= 200 && xhr.status < 300 && body.redirect) {
          bar.value = 100;
          window.location.assign(body.redirect);
          return;
        }
        fail(body.error || form.getAttribute("data-failed"));
      });
      xhr.addEventListener("error", function () { fail(form.getAttribute("data-failed")); });
      busy = true;
      zone.classList.add("is-busy");
      bar.value = 0;
      status.textContent = fill(form.getAttribute("data-sending"), { pct: 0, n: files.length });
      box.hidden = false;
      xhr.send(fd);
    }
    input.addEventListener("change", function () { send(input.files); });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("is-over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (e) { if (e.dataTransfer) send(e.dataTransfer.files); });
    form.addEventListener("submit", function (e) { e.preventDefault(); send(input.files); });
  });
})();

// A running import's page polls its status (a small JSON document) and
// moves the progress bar; when the import ends, the page reloads to show
// the summary. Without this script the page still shows the state as it
// was when loaded.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-import-status");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[aria-live]");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { window.setTimeout(poll, 3000); return; }
        if (bar) { bar.value = s.percent; bar.textContent = s.percent + "%"; }
        if (label) label.textContent = s.label;
        if (s.done) { window.location.reload(); return; }
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 300);
})();

// Print buttons (the document print view).
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-print]");
    if (b) { e.preventDefault(); window.print(); }
  });
})();

// Global search: Ctrl+K (or ⌘K, or "/" outside a field) jumps to the top
// bar's search box; the arrow keys walk its results, Escape leaves them.
// The results themselves come from /search through htmx.
(function () {
  "use strict";
  var box = document.getElementById("topsearch-q");
  if (!box) return;
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (e) {
    var k = (e.key || "").toLowerCase();
    if ((k === "k" && (e.ctrlKey || e.metaKey)) || (k === "/" && !typing(document.activeElement))) {
      if (box.offsetParent === null) { // hidden on a phone: the search page instead
        window.location.href = "/search";
        return;
      }
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
  var form = box.closest("form");
  form.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Escape") return;
    var links = Array.prototype.slice.call(form.querySelectorAll(".topsearch-pop a"));
    if (e.key === "Escape") {
      box.value = "";
      form.querySelector(".topsearch-pop").innerHTML = "";
      box.blur();
      return;
    }
    if (!links.length) return;
    e.preventDefault();
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown") i = i < 0 ? 0 : Math.min(i + 1, links.length - 1);
    else if (i <= 0) { box.focus(); return; } else i -= 1;
    links[i].focus();
  });
})();
