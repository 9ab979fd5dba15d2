/*
 * The visit report one section at a time, as a phone shows it best: "Section 2 of 5" with a
 * progress bar, Back and Next (Next checks the section first, with the phone's checks), and
 * the section kept across reloads (localStorage), so a shopper who is interrupted comes back
 * to where they were. Without this script the whole form shows at once and still works.
 */
(function () {
  "use strict";
  const form = document.getElementById("visit-form");
  if (!form || !window.QA || !window.QAFormErrors) return;
  const t = QA.strings();
  const steps = [];
  form.querySelectorAll("fieldset.visit-step").forEach(function (fieldset) {
    if (fieldset.hasAttribute("data-step-joins") && steps.length) steps[steps.length - 1].push(fieldset);
    else steps.push([fieldset]);
  });
  if (steps.length < 2) return;
  const KEY = "qa-step-" + form.dataset.assignment;
  const summary = document.getElementById("error-summary");
  const progress = document.getElementById("step-progress");
  const back = document.getElementById("step-back");
  const next = document.getElementById("step-next");
  const send = document.getElementById("send-report");
  let current = 0;

  function remember(index) { try { localStorage.setItem(KEY, String(index)); } catch (e) { /* private mode */ } }
  function remembered() {
    try { return Number(localStorage.getItem(KEY) || 0); } catch (e) { return 0; }
  }

  function show(index, scroll) {
    current = Math.max(0, Math.min(steps.length - 1, index || 0));
    steps.forEach(function (step, i) { step.forEach(function (fieldset) { fieldset.hidden = i !== current; }); });
    const legend = steps[current][0].querySelector("legend");
    document.getElementById("step-count").textContent = QA.format(t.stepCount, { n: current + 1, total: steps.length });
    document.getElementById("step-name").textContent = legend ? legend.textContent.trim() : "";
    const percent = Math.round(100 * (current + 1) / steps.length);
    document.getElementById("step-bar").style.width = percent + "%";
    progress.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    send.hidden = current !== steps.length - 1;
    remember(current);
    if (scroll) progress.scrollIntoView({ block: "start" });
  }

  function stepOf(field) {
    const box = form.querySelector("#div_id_" + CSS.escape(field));
    return steps.findIndex(function (step) { return step.some(function (fieldset) { return fieldset.contains(box); }); });
  }

  next.addEventListener("click", function () {
    const inStep = window.QAVisitChecks ? QAVisitChecks.check(form).filter(function (e) { return stepOf(e.field) === current; }) : [];
    if (inStep.length) { QAFormErrors.show(form, summary, inStep); return; }
    QAFormErrors.clear(form, summary);
    show(current + 1, true);
  });
  back.addEventListener("click", function () { show(current - 1, true); });
  form.addEventListener("qa:reveal", function (event) {
    const index = stepOf(event.detail.field);
    if (index !== -1 && index !== current) show(index, false);
  });

  // A page the server sent back with errors (crispy's summary, bootstrap5/errors.html): its links
  // lead to fields that may sit in another section; show that section, then the field.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    const target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target || !form.contains(target)) return;
    const index = steps.findIndex(function (step) { return step.some(function (fieldset) { return fieldset.contains(target); }); });
    if (index === -1) return;
    show(index, false);
    target.focus();
    target.scrollIntoView({ block: "center" });
  });

  progress.hidden = false;
  document.getElementById("step-nav").hidden = false;
  const firstInvalid = form.querySelector(".is-invalid");
  const invalidStep = firstInvalid ? steps.findIndex(function (step) {
    return step.some(function (fieldset) { return fieldset.contains(firstInvalid); });
  }) : -1;
  show(invalidStep !== -1 ? invalidStep : remembered(), false);
  window.QAVisitSteps = { show: show, stepOf: stepOf, forget: function () { try { localStorage.removeItem(KEY); } catch (e) { /* private mode */ } } };
})();
