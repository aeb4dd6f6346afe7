// The document editor: Quill on top of the plain <textarea name="body_html">
// (the form works without JavaScript), autosave of changes every few
// seconds, images uploaded as files, merge fields and simple tables.
(function () {
  "use strict";
  var form = document.querySelector("[data-doc-form]");
  var host = form && form.querySelector("[data-editor]");
  if (!form || !host || !window.Quill) return;
  var source = form.querySelector("textarea[name=body_html]");
  var status = document.querySelector("[data-doc-status]");
  var errorBox = form.querySelector("[data-doc-error]");
  var d = form.dataset;

  var quill = new window.Quill(host, {
    theme: "snow",
    modules: {
      table: true,
      toolbar: {
        container: [
          [{ header: [1, 2, 3, false] }],
          ["bold", "italic", "underline", "strike"],
          [{ list: "ordered" }, { list: "bullet" }, { indent: "-1" }, { indent: "+1" }],
          [{ align: [] }],
          ["link", "image"],
          ["table-insert", "table-row", "table-col", "table-delete"],
          ["clean"]
        ],
        handlers: {
          image: pickImage,
          "table-insert": function () { quill.getModule("table").insertTable(2, 2); },
          "table-row": function () { quill.getModule("table").insertRowBelow(); },
          "table-col": function () { quill.getModule("table").insertColumnRight(); },
          "table-delete": function () { quill.getModule("table").deleteTable(); }
        }
      }
    }
  });
  // Labels for the table buttons (Quill has no icons for them).
  [["table-insert", d.tableInsert, "⊞"], ["table-row", d.tableRow, "+≡"], ["table-col", d.tableCol, "+⫼"],
   ["table-delete", d.tableDelete, "⊟"]].forEach(function (b) {
    var btn = form.querySelector(".ql-" + b[0]);
    if (btn) { btn.textContent = b[2]; btn.title = b[1]; btn.setAttribute("aria-label", b[1]); btn.classList.add("ql-text-button"); }
  });

  var initial = source.value;
  if (initial) quill.setContents(quill.clipboard.convert({ html: initial }), "silent");
  host.hidden = false;
  source.hidden = true;
  host.classList.add("is-ready");

  function html() {
    if (quill.getLength() <= 1) return "";
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }
  var dirty = false, saving = false, lastSent = null;
  function changed() { source.value = html(); dirty = true; }
  quill.on("text-change", function (delta, old, src) { if (src !== "silent") changed(); });
  form.addEventListener("input", function (e) { if (e.target !== source) dirty = true; });
  form.addEventListener("change", function (e) { if (e.target !== source) dirty = true; });
  form.addEventListener("submit", function () { source.value = html(); dirty = false; });

  function say(text, isError) {
    if (status) status.textContent = isError ? "" : text;
    if (errorBox) { errorBox.textContent = isError ? text : ""; errorBox.hidden = !isError; }
  }

  // save posts the form to the autosave URL; the first save of a new
  // document creates it, and the page becomes its edit page.
  function save() {
    if (saving) return Promise.resolve(false);
    var title = form.querySelector("[name=title]");
    if (!d.images && title && !title.value.trim()) return Promise.resolve(false);
    saving = true; dirty = false;
    source.value = html();
    var body = new URLSearchParams(new FormData(form));
    lastSent = body.toString();
    say(d.saving);
    return fetch(d.autosave, { method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" } })
      .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
      .then(function (r) {
        saving = false;
        if (!r.ok) { say(r.j.error || d.saveFailed, true); return false; }
        if (r.j.action && !d.images) {
          form.action = r.j.action; d.autosave = r.j.autosave; d.images = r.j.images;
          history.replaceState(null, "", r.j.edit);
        }
        say(r.j.saved);
        return true;
      })
      .catch(function () { saving = false; dirty = true; say(d.saveFailed, true); return false; });
  }
  window.setInterval(function () { if (dirty && !saving) save(); }, 3000);

  // Merge fields: insert the chosen field at the cursor.
  var mergeBtn = form.querySelector("[data-merge-insert]");
  if (mergeBtn) mergeBtn.addEventListener("click", function () {
    var sel = form.querySelector("#f-merge");
    var range = quill.getSelection(true);
    var text = "{{" + sel.value + "}}";
    quill.insertText(range ? range.index : quill.getLength() - 1, text, "user");
    quill.setSelection((range ? range.index : 0) + text.length, 0, "silent");
  });

  // Images: uploaded as files of the document; the editor shows them by
  // their URL (never as data: URLs, which the server would drop).
  function pickImage() {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/gif,image/webp";
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      if (file.size > Number(d.maxImage)) { say(d.imageTooLarge, true); return; }
      var ready = d.images ? Promise.resolve(true) : save();
      ready.then(function () {
        if (!d.images) { say(d.imageNeedsTitle, true); return; }
        var fd = new FormData();
        fd.append("image", file, file.name);
        var range = quill.getSelection(true);
        return fetch(d.images, { method: "POST", body: fd, credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (res) { return res.json().then(function (j) { return { ok: res.ok, j: j }; }); })
          .then(function (r) {
            if (!r.ok) { say(r.j.error || d.imageFailed, true); return; }
            quill.insertEmbed(range ? range.index : quill.getLength() - 1, "image", r.j.url, "user");
          });
      }).catch(function () { say(d.imageFailed, true); });
    });
    input.click();
  }
})();
