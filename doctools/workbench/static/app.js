/* doctools workbench: problems beside their fields, the task grid (paste from Excel/WPS, deadline readings),
   outline moves, and a preview that keeps the page being looked at. No strings here: all words come from the server. */
(function () {
  "use strict";
  const TABS = {document: "frame", style: "frame", tasks: "tasks", units: "tasks", schedule: "schedule",
                body: "body", attachments: "attachments", catalog: "catalog", roles: "units", tables: "frame"};
  const bench = () => document.querySelector(".workbench");
  const plan = () => bench() && bench().dataset.plan;

  function fieldFor(path) {
    const parts = path.split(".");
    while (parts.length) {
      const name = parts.join(".");
      const el = document.querySelector(`[name="t:${CSS.escape(name)}"], [name="l:${CSS.escape(name)}"]`);
      if (el) return el;
      parts.pop();
    }
    return null;
  }

  function markFields() {
    document.querySelectorAll(".field-msg").forEach((el) => el.remove());
    document.querySelectorAll(".has-error").forEach((el) => el.classList.remove("has-error"));
    document.querySelectorAll("#problems li.problem").forEach((li) => {
      const path = li.dataset.field;
      if (!path) return;
      const el = fieldFor(path);
      if (!el) return;
      if (li.classList.contains("error")) el.classList.add("has-error");
      const msg = document.createElement("div");
      msg.className = "field-msg " + (li.classList.contains("error") ? "error" : "warning");
      msg.textContent = li.querySelector("a").textContent;
      msg.dataset.field = path;
      el.insertAdjacentElement("afterend", msg);
    });
  }

  function goTo(path) {
    const el = fieldFor(path);
    if (el) {
      el.scrollIntoView({block: "center"});
      el.focus();
      el.classList.add("flash");
      setTimeout(() => el.classList.remove("flash"), 1200);
      return;
    }
    const tab = TABS[path.split(".")[0]] || "frame";
    location.href = `/p/${encodeURIComponent(plan())}?tab=${tab}#field=${encodeURIComponent(path)}`;
  }

  document.addEventListener("click", (ev) => {
    const link = ev.target.closest("#problems a.goto");
    if (link) {
      ev.preventDefault();
      goTo(link.closest("li").dataset.field || "");
      return;
    }
    const move = ev.target.closest("button.move");
    if (move) {
      const body = new FormData();
      body.set("path", move.dataset.path);
      body.set("dir", move.dataset.dir);
      body.set("tab", document.querySelector("#plan-form").dataset.tab);
      fetch(`/p/${encodeURIComponent(plan())}/move`, {method: "POST", body}).then(() => location.reload());
      return;
    }
    const restore = ev.target.closest("button.restore");
    if (restore) {
      fetch(`/p/${encodeURIComponent(plan())}/restore/${restore.dataset.number}`, {method: "POST"})
        .then(() => location.reload());
      return;
    }
    const toPage = ev.target.closest("a.to-page");
    if (toPage) {
      ev.preventDefault();
      const fig = document.getElementById("page-" + toPage.dataset.page);
      if (fig) fig.scrollIntoView({block: "start"});
    }
    if (ev.target.id === "add-task") addRow();
  });

  // ---- task grid ----------------------------------------------------------------------------------------------
  function addRow() {
    const tbody = document.querySelector("#task-grid tbody");
    const rows = tbody.querySelectorAll("tr[data-row]");
    const next = rows.length ? Math.max(...[...rows].map((r) => +r.dataset.row)) + 1 : 0;
    const html = document.getElementById("task-row").innerHTML.replaceAll("__i__", String(next));
    tbody.insertAdjacentHTML("beforeend", html);
    return tbody.lastElementChild;
  }

  function cellsOf(row) {
    return [...row.querySelectorAll("input[name], textarea[name]")];
  }

  document.addEventListener("paste", (ev) => {
    const target = ev.target;
    const row = target.closest && target.closest("#task-grid tr[data-row]");
    if (!row) return;
    const text = (ev.clipboardData || window.clipboardData).getData("text");
    if (!text || (!text.includes("\t") && !text.includes("\n"))) return;
    ev.preventDefault();
    const lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n").map((l) => l.split("\t"));
    const start = cellsOf(row).indexOf(target);
    let current = row;
    lines.forEach((cells, i) => {
      if (i > 0) current = current.nextElementSibling || addRow();
      const inputs = cellsOf(current);
      cells.forEach((value, j) => {
        const input = inputs[start + j];
        if (input) input.value = value.trim();
      });
    });
    document.querySelectorAll("#task-grid input.deadline").forEach(readDeadline);
    document.getElementById("plan-form").dispatchEvent(new Event("input", {bubbles: true}));
  });

  const timers = new WeakMap();
  function readDeadline(input) {
    const out = input.parentElement.querySelector("output.reading");
    if (!out) return;
    const text = input.value.trim();
    if (!text) { out.textContent = ""; return; }
    const url = `/api/deadline?name=${encodeURIComponent(plan())}&text=${encodeURIComponent(text)}`;
    fetch(url).then((r) => r.json()).then((d) => {
      out.textContent = d.reading ? "→ " + d.reading : d.error;
      out.classList.toggle("error", !d.reading);
    });
  }
  document.addEventListener("input", (ev) => {
    if (ev.target.matches && ev.target.matches("input.deadline")) {
      clearTimeout(timers.get(ev.target));
      timers.set(ev.target, setTimeout(() => readDeadline(ev.target), 150));
    }
  });

  // ---- preview: keep the page being looked at ------------------------------------------------------------------
  let keptPage = null;
  function pageInView() {
    const pane = document.querySelector(".preview-pane");
    if (!pane) return null;
    const top = pane.getBoundingClientRect().top;
    let best = null;
    document.querySelectorAll("#preview figure.page").forEach((fig) => {
      if (fig.getBoundingClientRect().bottom > top + 40 && best === null) best = fig.dataset.page;
    });
    return best;
  }
  document.addEventListener("htmx:beforeSwap", (ev) => {
    if (ev.detail.target && ev.detail.target.id === "preview") keptPage = pageInView();
  });
  document.addEventListener("htmx:afterSwap", (ev) => {
    const id = ev.detail.target && ev.detail.target.id;
    if (id === "preview" && keptPage) {
      const fig = document.getElementById("page-" + keptPage);
      const pane = document.querySelector(".preview-pane");
      if (fig && pane) pane.scrollTop += fig.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    }
    if (id === "problems" || id === "status") markFields();
  });
  document.addEventListener("htmx:oobAfterSwap", markFields);

  document.addEventListener("DOMContentLoaded", () => {
    markFields();
    document.querySelectorAll("#task-grid input.deadline").forEach(readDeadline);
    const m = location.hash.match(/^#field=(.+)$/);
    if (m) goTo(decodeURIComponent(m[1]));
  });
})();
