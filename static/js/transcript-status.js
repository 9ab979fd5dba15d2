/* A transcript panel waiting for its transcript (templates/autoqa/_transcript.html) asks
   autoqa:transcript-status every few seconds, shows how it is going, and once the transcript is done or
   failed puts the new panel in place (then static/js/transcript.js makes it follow the audio). Only the
   panel changes: answers being typed on the page stay. Stops when done, failed, or refused. */
(function () {
  "use strict";
  const status = document.querySelector("#transcript [data-transcript-poll]");
  if (!status || !window.QA) return;
  const url = status.dataset.transcriptPoll;
  const label = status.querySelector("[data-transcript-label]");
  const t = QA.strings();
  const EVERY = 5000, SLOWER = 15000;

  function lost() {
    label.textContent = t.transcriptLost;
    const spinner = status.querySelector(".spinner-border");
    if (spinner) spinner.remove();
  }
  function replace(html) {
    const holder = document.createElement("template");
    holder.innerHTML = html;
    const fresh = holder.content.querySelector("#transcript");
    const panel = document.getElementById("transcript");
    if (!fresh || !panel) { lost(); return; }
    panel.replaceWith(fresh);
    const script = document.createElement("script");  // the new panel's own behaviour (a static file: CSP-safe)
    script.src = status.dataset.transcriptScript;
    document.body.appendChild(script);
  }
  async function ask() {
    /* QA.poll would ask forever; a refusal (signed out, no longer in reach) stops here instead. */
    let result;
    try { result = await QA.json(url); } catch (e) { setTimeout(ask, SLOWER); return; }  // offline a moment
    if (result.status === 401 || result.status === 403 || result.status === 404) { lost(); return; }
    if (!result.ok || !result.body) { setTimeout(ask, SLOWER); return; }
    const state = result.body;
    if (state.finished) { replace(state.html); return; }
    label.textContent = state.status === "running" ? t.transcriptRunning : t.transcriptPending;
    status.dataset.transcriptStatus = state.status;
    setTimeout(ask, EVERY);
  }
  setTimeout(ask, EVERY);
})();
