/*
 * The phone checks a visit report before it sends it or keeps it in the outbox, with the rules
 * and words the server gives the page (#phone-rules, from VisitReportForm.phone_rules): times
 * given and in order, the employee or a description, the story, every scored item answered,
 * numbers that are numbers, a comment wherever an answer is No or a critical item fails, and the
 * receipt or photo the visit requires (uploaded, or kept on this phone to upload). An arrival
 * outside the visit's window is warned about once: tapping again with the same arrival goes on.
 * A report that passes here can still be refused by the server (its clock, a changed staff
 * list); the outbox then shows it as needing attention.
 *
 * QAVisitChecks.check(form) returns [{field, label, message}] (empty when nothing is wrong).
 */
(function () {
  "use strict";
  const source = document.getElementById("phone-rules");
  if (!source || !window.QAFormErrors) return;
  const rules = JSON.parse(source.textContent);
  const words = rules.messages;

  function value(form, name) {
    const field = form.elements[name];
    if (!field) return "";
    if (field instanceof RadioNodeList) {
      const checked = Array.from(field).find(function (e) { return e.checked; });
      return checked ? checked.value : "";
    }
    if (field.type === "radio" || field.type === "checkbox") return field.checked ? (field.value || "on") : "";
    return (field.value || "").trim();
  }

  function time(text) {
    if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(text)) return null;
    const date = new Date(text.replace(" ", "T"));
    return isNaN(date.getTime()) ? null : date;
  }

  function numberScore(number, rule) {
    for (const band of rule.bands) {
      if (rule.higher ? number >= band[0] : number <= band[0]) return band[1];
    }
    return 0;
  }

  function hasEvidence(form, kind) {
    /* Uploaded (listed by the server, or sent from this page) or kept on this phone to upload. */
    return Boolean(form.querySelector("[data-evidence-kind=\"" + kind + "\"]:not([data-refused])"));
  }

  function outsideConfirmed(form, arrival) { return form.dataset.windowWarned === arrival; }

  function check(form) {
    const errors = [];
    function add(field, message, label) { errors.push({ field: field, message: message, label: label || "" }); }

    const times = {};
    ["arrived_at", "departed_at"].forEach(function (name) {
      const text = value(form, name);
      if (!text) { add(name, rules.required); return; }
      times[name] = time(text);
      if (!times[name]) add(name, rules.invalidTime);
    });
    if (times.arrived_at && times.departed_at && times.departed_at < times.arrived_at) add("departed_at", words.departure_before_arrival);
    if (times.arrived_at && times.arrived_at.getTime() > Date.now() + rules.arrivalSlackMinutes * 60000) add("arrived_at", words.arrival_future);
    const arrival = value(form, "arrived_at");
    if (times.arrived_at && rules.window && !outsideConfirmed(form, arrival)) {
      const day = arrival.slice(0, 10);
      if (day < rules.window.start || day > rules.window.end) {
        add("arrived_at", rules.window.message);
        form.dataset.windowWarned = arrival; // the next tap with the same arrival sends it anyway
      }
    }
    if (!value(form, "employee") && !value(form, "employee_description")) add("employee_description", words.employee);

    rules.items.forEach(function (rule) {
      const name = "item_" + rule.id;
      const answer = value(form, name);
      const na = rule.na && value(form, "na_" + rule.id) !== "";
      if (na) return;
      if (!answer) { if (rule.scored) add(name, rule.blank); return; }
      let failed = false;
      if (rule.type === "number") {
        const number = Number(answer);
        if (!isFinite(number)) { add(name, rule.notNumber); return; }
        failed = numberScore(number, rule) === 0;
      } else if (rule.failing) {
        failed = rule.failing.indexOf(answer) !== -1;
      }
      if (!rule.scored || value(form, "comment_" + rule.id)) return;
      const label = QAFormErrors.labelOf(form, "comment_" + rule.id) + ": " + QAFormErrors.labelOf(form, name);
      if (answer === "no") add("comment_" + rule.id, words.comment_no, label);
      else if (rule.critical && failed) add("comment_" + rule.id, words.comment_critical, label);
    });
    if (!value(form, "narrative")) add("narrative", words.narrative);
    const evidence = rules.evidence || {};
    ["receipt", "photo"].forEach(function (kind) {
      if (evidence[kind] && !hasEvidence(form, kind)) add("evidence", words[kind]);
    });
    return errors;
  }

  window.QAVisitChecks = { check: check };
})();
