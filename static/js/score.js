/* The scoring screen: save answers in the background (naming the revision the page
   holds, so a reviewer is told instead of overwriting someone else's save), pin
   comments to the player's current moment, and ask for a reason only where an
   answer computed from the interaction's times is changed. */
(function () {
  "use strict";
  const form = document.getElementById("score-form");
  if (!form || !window.QA) return;
  const status = document.getElementById("save-status");
  const conflictBox = document.getElementById("autosave-conflict");
  const revision = form.querySelector('input[name="revision"]');
  let timer = null;
  let stopped = Boolean(document.getElementById("conflict"));
  let saving = false;
  let again = false;
  let submitter = null;  // a submit pressed while an autosave was on its way: sent once it is back

  const t = QA.strings();

  async function save() {
    if (stopped) return;
    if (saving) { again = true; return; }
    saving = true;
    const data = new FormData(form);
    data.delete("action");
    status.textContent = t.saving;
    try {
      const result = await QA.json(form.dataset.autosaveUrl, { method: "POST", body: data });
      if (result.status === 409) {
        stopped = true;
        conflictBox.querySelector('[data-field="message"]').textContent = result.body.error;
        // Keeping my answers saves them over the other save, knowingly: against its revision.
        conflictBox.dataset.revision = result.body.revision === undefined ? "" : result.body.revision;
        conflictBox.querySelector('[data-action="keep"]').hidden = result.body.revision === undefined;
        conflictBox.hidden = false;
        status.textContent = "";
        conflictBox.scrollIntoView({ block: "center" });
      } else if (result.ok) {
        revision.value = result.body.revision;
        status.textContent = QA.format(t.savedAt, { time: result.body.saved_at });
        showScore(result.body.score);
      } else {
        status.textContent = t.refused;
      }
    } catch (e) {
      status.textContent = t.offline;
      timer = setTimeout(save, 5000);
    } finally {
      saving = false;
      if (submitter) {
        // The submit waited for this save: it now carries the revision the save returned.
        const button = submitter;
        submitter = null;
        again = false;
        if (!stopped) { stopped = true; form.requestSubmit(button); }
      } else if (again) { again = false; schedule(); }
    }
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(save, 1500); }

  /* The score so far is the server's engine result, sent back by each autosave: the rule
     is written once (scorecards/scoring.py), never again here. */
  const scoreBox = document.getElementById("running-score");
  function showScore(score) {
    if (!scoreBox || !score) return;
    scoreBox.querySelector('[data-field="overall"]').textContent = score.overall === null ? "–" : score.overall + "%";
    scoreBox.querySelector('[data-field="answered"]').textContent = QA.format(t.scored, score);
    scoreBox.querySelector('[data-field="critical"]').hidden = !score.critical_failed;
  }
  const keep = conflictBox && conflictBox.querySelector('[data-action="keep"]');
  if (keep) {
    keep.addEventListener("click", function () {
      revision.value = conflictBox.dataset.revision;
      conflictBox.hidden = true;
      stopped = false;
      save();
    });
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  /* Submitting (or saving the draft) sends everything on the page: no autosave may run beside it, or
     the two would race and the submit, holding the revision from before the autosave, would be told of
     a save "in another tab". A pending autosave is dropped; one already on its way is waited for. */
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (saving) {
      event.preventDefault();
      submitter = event.submitter || null;
      if (!submitter) submitter = form.querySelector('button[type="submit"][value="save"]');
      return;
    }
    stopped = true;
  });
  window.addEventListener("pageshow", function (event) {
    // Back from the confirmation page (kept in the browser's cache): autosave again.
    if (event.persisted && !document.getElementById("conflict") && conflictBox.hidden) stopped = false;
  });

  function currentAnswer(itemId) {
    const na = form.querySelector('input[name="na_' + itemId + '"]');
    if (na && na.checked) return { value: "", na: true };
    const checked = form.querySelector('input[name="item_' + itemId + '"]:checked');
    if (checked) return { value: checked.value, na: false };
    const field = form.querySelector('[name="item_' + itemId + '"]:not([type="radio"])');
    return { value: field ? field.value.trim() : "", na: false };
  }
  function sameNumber(a, b) { return a !== "" && b !== "" && !isNaN(a) && !isNaN(b) && Number(a) === Number(b); }
  function refreshOverrides() {
    form.querySelectorAll("[data-override-for]").forEach(function (reason) {
      const card = reason.closest(".item-card");
      const note = card.querySelector(".auto-note");
      const now = currentAnswer(reason.dataset.overrideFor);
      const autoNa = note.dataset.autoNa === "1";
      const same = now.na === autoNa && (now.value === note.dataset.autoValue || sameNumber(now.value, note.dataset.autoValue));
      const wrapper = reason.closest(".mb-3") || reason.parentElement;
      wrapper.hidden = same && !reason.value && !reason.classList.contains("is-invalid");
    });
  }
  form.addEventListener("change", refreshOverrides);
  form.addEventListener("input", refreshOverrides);
  refreshOverrides();

  /* The automatic suggestion's badge follows the answer on the page: "as suggested" or "you changed it"
     (none while unanswered), as the server says it from the saved answer (qa/scoring_forms.py). */
  function refreshSuggestions() {
    form.querySelectorAll(".suggestion[data-suggested-value]").forEach(function (box) {
      const card = box.closest(".item-card");
      const badge = box.querySelector("[data-suggestion-state]");
      if (!card || !badge) return;
      const now = currentAnswer(card.dataset.item);
      if (!now.na && now.value === "") { badge.hidden = true; return; }
      const kept = now.na === (box.dataset.suggestedNa === "1") &&
        (now.na || now.value === box.dataset.suggestedValue || sameNumber(now.value, box.dataset.suggestedValue));
      badge.textContent = kept ? t.asSuggested : t.youChanged;
      badge.hidden = false;
    });
  }
  form.addEventListener("change", refreshSuggestions);
  form.addEventListener("input", refreshSuggestions);

  const pinForm = document.getElementById("pin-form");
  if (!pinForm || !window.qaPlayer) return;
  const at = pinForm.querySelector('[name="at_seconds"]');
  const text = pinForm.querySelector('[name="text"]');
  const pinError = document.getElementById("pin-error");
  let typedMoment = false;  // the reviewer typed a moment by hand: keep it
  let held = false;  // a moment chosen on purpose (a transcript phrase): kept until the audio plays again
  function stamp() {
    if (held) return;
    at.value = window.qaPlayer.audio.currentTime.toFixed(2);
    typedMoment = false;
  }
  at.addEventListener("input", function () { typedMoment = true; held = false; });
  window.qaPlayer.audio.addEventListener("pause", stamp);
  window.qaPlayer.audio.addEventListener("seeked", stamp);
  window.qaPlayer.audio.addEventListener("play", function () { held = false; });
  window.qaPinAt = function (seconds) {  // static/js/transcript.js: a pin on a selected phrase, at its first word
    at.value = Number(seconds).toFixed(2);
    typedMoment = true;
    held = true;
  };
  stamp();
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    if (event.key.toLowerCase() !== "p" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (window.qaPlayer.typing(target)) return;
    event.preventDefault();
    held = false;
    window.qaPlayer.audio.pause();
    stamp();
    const card = target.closest && target.closest(".item-card");
    if (card) pinForm.querySelector('[name="item"]').value = card.dataset.item;
    text.focus();
  });
  pinForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    pinError.textContent = "";
    if (!typedMoment) stamp();  // "at this moment": where the player is now, whatever events are pending
    let result;
    try {
      result = await QA.json(pinForm.action, { method: "POST", body: new FormData(pinForm) });
    } catch (e) { pinError.textContent = t.pinOffline; return; }
    if (!result.ok) { pinError.textContent = (result.body && result.body.error) || t.pinRefused; return; }
    const body = result.body;
    const row = document.getElementById("pin-row").content.firstElementChild.cloneNode(true);
    const button = row.querySelector("[data-seek]");
    button.dataset.seek = body.at;
    button.dataset.item = body.item || "";
    button.textContent = body.moment;
    row.querySelector('[data-field="text"]').textContent = " " + body.text;
    row.querySelector('[data-field="item"]').textContent = body.item_question;
    row.dataset.pin = body.id;
    const list = document.getElementById("pins");
    const empty = document.getElementById("pins-empty");
    if (empty) empty.remove();
    const later = Array.from(list.querySelectorAll("[data-seek]")).find(function (b) { return Number(b.dataset.seek) > body.at; });
    list.insertBefore(row, later ? later.closest("li") : null);
    text.value = "";
    pinError.textContent = "";
    held = false;
  });
})();
