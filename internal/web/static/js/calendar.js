// Klientela: the calendar page (Kalendarz) on FullCalendar. Configuration
// comes from the data- attributes of #calendar and the items from
// /calendar/events (no inline script: the CSP forbids it).
//
// Times: the server sends the account's wall-clock times without an offset
// and the calendar runs in UTC, so an item at 10:00 in Europe/Warsaw shows
// at 10:00 whatever zone the browser is in; moves are sent back the same
// way and read in the account's zone on the server.
(function () {
  "use strict";
  var el = document.getElementById("calendar");
  if (!el || !window.FullCalendar) return;
  var data = el.dataset;
  var msgs = {};
  try { msgs = JSON.parse(data.messages || "{}"); } catch (e) { msgs = {}; }
  var statusEl = document.getElementById("calendar-status");
  var filters = document.getElementById("calendar-filters");
  var dialog = document.getElementById("calendar-create");

  function say(text, isError) {
    if (!statusEl) return;
    statusEl.textContent = text || "";
    statusEl.classList.toggle("is-error", !!isError);
  }
  // wall is a calendar date (UTC-coerced) as the account's wall-clock time.
  function wall(d) { return d.toISOString().slice(0, 19); }

  function query(info) {
    var p = new URLSearchParams();
    p.set("from", wall(info.start));
    p.set("to", wall(info.end));
    var emp = filters && filters.querySelector("[name=employee_id]");
    if (emp && emp.value) p.set("employee_id", emp.value);
    if (filters) {
      var kinds = Array.prototype.map.call(filters.querySelectorAll("[name=kinds]:checked"), function (c) { return c.value; });
      p.set("kinds", kinds.join(","));
    }
    return p.toString();
  }

  function toEvent(it) {
    return {
      id: it.id, title: it.title, start: it.start, end: it.end, allDay: it.allDay, url: it.url,
      editable: it.editable, backgroundColor: it.color, borderColor: it.color,
      classNames: ["is-" + it.kind], extendedProps: { kind: it.kind, recordId: it.record_id }
    };
  }

  function loadEvents(info, ok, fail) {
    fetch(data.eventsUrl + "?" + query(info), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
      .then(function (items) { ok(items.map(toEvent)); })
      .catch(function (err) { say(msgs.failed, true); fail(err); });
  }

  function move(info) {
    var ev = info.event;
    var body = new URLSearchParams();
    body.set("kind", ev.extendedProps.kind);
    body.set("id", String(ev.extendedProps.recordId));
    body.set("start", wall(ev.start));
    fetch(data.moveUrl, { method: "POST", credentials: "same-origin", body: body,
      headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error(j.error || msgs.refused);
          say(j.message || msgs.moved, false);
        });
      })
      .catch(function (err) { info.revert(); say(err.message || msgs.refused, true); });
  }

  // A click on an empty slot offers what can be planned there.
  function create(info) {
    var day = info.dateStr.slice(0, 10);
    var time = info.allDay ? "" : wall(info.date).slice(11, 16);
    var links = [];
    if (data.newContactUrl) {
      var q = "?at_date=" + encodeURIComponent(day) + (time ? "&at_time=" + encodeURIComponent(time) : "");
      links.push({ href: data.newContactUrl + q, label: msgs.newContact });
    }
    // Tasks: when they land, add their form here (data-new-task-url), e.g.
    // links.push({ href: data.newTaskUrl + q, label: msgs.newTask });
    if (links.length === 0) { say(msgs.noCreate, false); return; }
    if (!dialog || typeof dialog.showModal !== "function") { window.location.href = links[0].href; return; }
    document.getElementById("calendar-create-when").textContent = day + (time ? " " + time : "");
    var box = document.getElementById("calendar-create-actions");
    box.textContent = "";
    links.forEach(function (l, i) {
      var a = document.createElement("a");
      a.className = "btn" + (i === 0 ? " btn-primary" : "");
      a.href = l.href;
      a.textContent = l.label;
      box.appendChild(a);
    });
    dialog.showModal();
    box.querySelector("a").focus();
  }

  var narrow = window.matchMedia("(max-width: 760px)").matches;
  var views = "dayGridMonth,timeGridWeek,timeGridDay,listWeek";
  var hm = { hour: "2-digit", minute: "2-digit", hour12: false };
  var cal = new FullCalendar.Calendar(el, {
    timeZone: "UTC",
    now: data.now,
    locale: data.locale === "pl" ? "pl" : "en",
    firstDay: 1,
    initialView: narrow ? "listWeek" : "dayGridMonth",
    headerToolbar: narrow ? { left: "prev,next today", center: "", right: "title" }
      : { left: "prev,next today", center: "title", right: views },
    footerToolbar: narrow ? { center: views } : false,
    buttonText: data.locale === "pl" ? {} : { today: "Today", month: "Month", week: "Week", day: "Day", list: "Agenda" },
    eventTimeFormat: hm,
    slotLabelFormat: hm,
    scrollTime: "07:00:00",
    nowIndicator: true,
    dayMaxEvents: true,
    contentHeight: narrow ? 560 : 640,
    views: narrow ? {
      timeGridWeek: { dayHeaderFormat: { weekday: "narrow", day: "numeric" } },
      dayGridMonth: { dayHeaderFormat: { weekday: "narrow" } }
    } : {},
    editable: true,
    eventDurationEditable: false,
    events: loadEvents,
    eventDrop: move,
    dateClick: create
  });
  cal.render();
  if (filters) {
    filters.addEventListener("change", function () { cal.refetchEvents(); });
    filters.addEventListener("submit", function (e) { e.preventDefault(); cal.refetchEvents(); });
  }
  window.klientelaCalendar = cal; // for the browser tests
})();
