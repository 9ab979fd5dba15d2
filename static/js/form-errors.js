/*
 * A form's errors, shown the same way whoever found them (the phone's checks, or the server's
 * JSON answer): a summary at the top of the page linking to each field in error, and each
 * message next to its field. Fields are found by crispy's wrapper, #div_id_<name>.
 *
 * QAFormErrors.show(form, summary, errors) with errors [{field, label, message}];
 * QAFormErrors.clear(form, summary). Following a link fires "qa:reveal" on the form first
 * (so the section holding the field is shown), then scrolls to the field and focuses it.
 */
(function () {
  "use strict";

  function wrapper(form, name) { return name ? form.querySelector("#div_id_" + CSS.escape(name)) : null; }

  function labelOf(form, name) {
    const box = wrapper(form, name);
    const found = box && box.querySelector("legend, label.form-label, label");
    if (!found) return "";
    const label = found.cloneNode(true);
    label.querySelectorAll(".badge, .asteriskField").forEach(function (e) { e.remove(); }); // "Critical", "*"
    return label.textContent.replace(/\s+/g, " ").trim().replace(/\s*\*$/, "");
  }

  function clear(form, summary) {
    form.querySelectorAll("[data-shown-error]").forEach(function (e) { e.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (e) { e.classList.remove("is-invalid"); });
    form.querySelectorAll(".invalid-feedback").forEach(function (e) { e.hidden = true; }); // the server's, if it rendered any
    if (summary) { summary.hidden = true; summary.querySelector("ul").textContent = ""; }
  }

  function reveal(form, name) {
    form.dispatchEvent(new CustomEvent("qa:reveal", { detail: { field: name } }));
    const box = wrapper(form, name);
    if (!box) return;
    box.scrollIntoView({ block: "center" });
    const input = box.querySelector("input:not([type=hidden]), select, textarea");
    if (input) input.focus({ preventScroll: true });
  }

  function position(form, error) {
    const box = wrapper(form, error.field);
    if (!box) return -1;
    return Array.prototype.indexOf.call(form.querySelectorAll("[id^=div_id_]"), box);
  }

  function show(form, summary, errors) {
    clear(form, summary);
    const sorted = errors.slice().sort(function (a, b) { return position(form, a) - position(form, b); });
    const list = summary.querySelector("ul");
    sorted.forEach(function (error) {
      const box = wrapper(form, error.field);
      const item = document.createElement("li");
      if (box) {
        const link = document.createElement("a");
        link.href = "#div_id_" + error.field;
        link.dataset.field = error.field;
        link.textContent = (error.label || labelOf(form, error.field)) + ": " + error.message;
        item.appendChild(link);
        box.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (e) { e.classList.add("is-invalid"); });
        const message = document.createElement("div");
        message.className = "invalid-feedback d-block";
        message.id = "id_" + error.field + "_error";
        message.dataset.shownError = "";
        message.textContent = error.message;
        box.appendChild(message);
      } else {
        item.textContent = error.message;
      }
      list.appendChild(item);
    });
    summary.hidden = sorted.length === 0;
    if (!summary.hidden) {
      summary.scrollIntoView({ block: "start" });
      summary.focus({ preventScroll: true });
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-field]");
    if (!link) return;
    const summary = link.closest("[data-summary-for]");
    const form = summary && document.getElementById(summary.dataset.summaryFor);
    if (!form) return;
    event.preventDefault();
    reveal(form, link.dataset.field);
  });

  window.QAFormErrors = { show: show, clear: clear, reveal: reveal, labelOf: labelOf };
})();
