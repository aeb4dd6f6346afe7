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
    ["employee_id", "group_id"].forEach(function (name) {
      var f = filters && filters.querySelector("[name=" + name + "]");
      if (f && f.value) p.set(name, f.value);
    });
    // The month view gets a few items a day and "+N" for the rest (the
    // whole firm's month holds thousands); the day they open gets them all.
    if (cal && cal.view && cal.view.type === "dayGridMonth") p.set("per_day", String(perDay));
    if (filters) {
      var kinds = Array.prototype.map.call(filters.querySelectorAll("[name=kinds]:checked"), function (c) { return c.value; });
      p.set("kinds", kinds.join(","));
    }
    return p.toString();
  }

  // Tasks are coloured by employee or, with the switch, by task group.
  function colorBy() {
    var f = filters && filters.querySelector("[name=color_by]");
    return f ? f.value : "employee";
  }

  function toEvent(it) {
    if (it.kind === "more") {
      return { id: it.id, title: it.title, start: it.start, end: it.end, allDay: true, editable: false,
        classNames: ["is-more"], extendedProps: { kind: "more", isMore: 1 } };
    }
    var color = it.color;
    if (it.kind === "task" && colorBy() === "group" && it.groupColor) color = it.groupColor;
    var classes = ["is-" + it.kind];
    if (it.muted) classes.push("is-muted");
    if (it.recurring) classes.push("is-recurring");
    if (!it.editable) classes.push("is-readonly");
    return {
      id: it.id, title: it.title, start: it.start, end: it.end, allDay: it.allDay, url: it.url,
      editable: it.editable, durationEditable: it.kind === "task" && it.editable,
      backgroundColor: color, borderColor: color, classNames: classes,
      extendedProps: { kind: it.kind, recordId: it.record_id, occurrence: it.occurrence || "", recurring: !!it.recurring, isMore: 0 }
    };
  }

  function loadEvents(info, ok, fail) {
    fetch(data.eventsUrl + "?" + query(info), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
      .then(function (items) { ok(items.map(toEvent)); })
      .catch(function (err) { say(msgs.failed, true); fail(err); });
  }

  // day is a calendar date as "YYYY-MM-DD".
  function day(d) { return wall(d).slice(0, 10); }

  // A drag (or, for a task, a drag of its edge) sends the item's new times;
  // a task names its occurrence, so that one of a series moves alone.
  function move(info, doneMsg) {
    var ev = info.event;
    var body = new URLSearchParams();
    body.set("kind", ev.extendedProps.kind);
    body.set("id", String(ev.extendedProps.recordId));
    body.set("start", ev.allDay ? day(ev.start) : wall(ev.start));
    if (ev.extendedProps.kind === "task") {
      var end = ev.end || new Date(ev.start.getTime() + (ev.allDay ? 86400000 : 3600000));
      body.set("end", ev.allDay ? day(end) : wall(end));
      body.set("occurrence", ev.extendedProps.occurrence);
      if (ev.extendedProps.recurring) doneMsg = msgs.movedOne;
    }
    fetch(data.moveUrl, { method: "POST", credentials: "same-origin", body: body,
      headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error(j.error || msgs.refused);
          say(doneMsg || j.message || msgs.moved, false);
          // A moved occurrence gets a new key; read the range again.
          if (ev.extendedProps.kind === "task") cal.refetchEvents();
        });
      })
      .catch(function (err) { info.revert(); say(err.message || msgs.refused, true); });
  }

  // A click on an empty slot (or a selection of slots or days) offers
  // what can be planned there: a task over the selection, or a planned
  // contact at its start.
  function create(info) {
    cal.unselect();
    var first = day(info.start);
    var time = info.allDay ? "" : wall(info.start).slice(11, 16);
    var links = [];
    // A click on one slot plans an hour, a selection what it covers.
    var end = info.end;
    if (!info.allDay && end.getTime() - info.start.getTime() <= 30 * 60000) end = new Date(info.start.getTime() + 3600000);
    if (data.newTaskUrl) {
      var t = info.allDay
        ? "?all_day=1&start=" + encodeURIComponent(first) + "&end=" + encodeURIComponent(day(info.end))
        : "?start=" + encodeURIComponent(wall(info.start).slice(0, 16)) + "&end=" + encodeURIComponent(wall(end).slice(0, 16));
      links.push({ href: data.newTaskUrl + t, label: msgs.newTask });
    }
    if (data.newContactUrl) {
      var q = "?at_date=" + encodeURIComponent(first) + (time ? "&at_time=" + encodeURIComponent(time) : "");
      links.push({ href: data.newContactUrl + q, label: msgs.newContact });
    }
    if (links.length === 0) { say(msgs.noCreate, false); return; }
    if (!dialog || typeof dialog.showModal !== "function") { window.location.href = links[0].href; return; }
    document.getElementById("calendar-create-when").textContent = first + (time ? " " + time : "");
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
  var perDay = 3;
  var cal = null;
  var views = "dayGridMonth,timeGridWeek,timeGridDay,listWeek";
  var hm = { hour: "2-digit", minute: "2-digit", hour12: false };
  cal = new FullCalendar.Calendar(el, {
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
    eventOrder: "isMore,start,-duration,allDay,title",
    contentHeight: narrow ? 560 : 640,
    views: {
      timeGridWeek: narrow ? { dayHeaderFormat: { weekday: "narrow", day: "numeric" } } : {},
      // perDay items and the "+N" that stands for the rest.
      dayGridMonth: narrow ? { dayHeaderFormat: { weekday: "narrow" }, dayMaxEvents: perDay + 1 } : { dayMaxEvents: perDay + 1 }
    },
    editable: true,
    eventDurationEditable: false,
    selectable: true,
    // A timed task stays timed and an all-day one all-day.
    eventAllow: function (drop, ev) { return drop.allDay === ev.allDay; },
    events: loadEvents,
    eventDrop: function (info) { move(info); },
    eventResize: function (info) { move(info, msgs.resized); },
    eventDidMount: function (info) {
      var p = info.event.extendedProps;
      if (p.kind === "more") return;
      if (p.recurring && info.event.startEditable) info.el.title = msgs.occurrence;
      else if (!info.event.startEditable) info.el.title = msgs.readOnly;
    },
    select: create,
    eventClick: function (info) {
      if (info.event.extendedProps.kind !== "more") return;
      info.jsEvent.preventDefault();
      cal.changeView("timeGridDay", info.event.start);
    }
  });
  cal.render();
  var empLegend = document.getElementById("calendar-employee-legend");
  var groupLegend = document.getElementById("calendar-group-legend");
  if (filters) {
    filters.addEventListener("change", function () {
      var byGroup = colorBy() === "group";
      if (empLegend && groupLegend) { empLegend.hidden = byGroup; groupLegend.hidden = !byGroup; }
      cal.refetchEvents();
    });
    filters.addEventListener("submit", function (e) { e.preventDefault(); cal.refetchEvents(); });
  }
  window.klientelaCalendar = cal; // for the browser tests
})();
