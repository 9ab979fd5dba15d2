// Copy buttons for what is shown once (a new API token, a webhook's signing secret):
// <button hidden data-copy="#field-id" data-copy-status="#status-id" data-copied="Copied"
//         data-copied-status="Copied to the clipboard." data-failed="Press Ctrl+C to copy">Copy</button>
// next to a read-only field, and a status element (role="status") that tells screen readers too;
// the button itself says "✓ Copied" for a few seconds. The button stays hidden without this script: the field is still there
// to select by hand. Clicking or focusing the field selects all of it.
(function () {
  "use strict";

  function select(field) {
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
  }

  function fallback(field) {
    select(field);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }

  function say(button, ok) {
    const status = document.querySelector(button.dataset.copyStatus || "");
    if (status) status.textContent = ok ? button.dataset.copiedStatus || button.dataset.copied : button.dataset.failed;
    if (!button.dataset.label) button.dataset.label = button.textContent;
    if (!button.dataset.colour) button.dataset.colour = button.className;
    button.textContent = ok ? "✓ " + button.dataset.copied : button.dataset.label;
    button.className = ok ? button.dataset.colour.replace(/\bbtn-primary\b/, "btn-success") : button.dataset.colour;
    clearTimeout(button.copyTimer);
    button.copyTimer = setTimeout(function () {
      button.textContent = button.dataset.label;
      button.className = button.dataset.colour;
    }, 4000);
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    field.addEventListener("click", function () { field.select(); });
    button.addEventListener("click", async function () {
      let ok = false;
      if (navigator.clipboard && window.isSecureContext) {
        try { await navigator.clipboard.writeText(field.value); ok = true; } catch (e) { ok = false; }
      }
      if (!ok) ok = fallback(field);
      if (!ok) select(field); // selected, for the keyboard's own copy
      say(button, ok);
    });
  });
})();
