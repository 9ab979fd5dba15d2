/*
 * A form sent back with errors opens at its summary (templates/bootstrap5/errors.html): the
 * summary takes the focus, so a screen reader reads it and the page scrolls to it, and each
 * of its links moves the focus to the field in error.
 */
(function () {
  "use strict";
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) { event.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
  });
})();
