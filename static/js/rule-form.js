/* The automatic check's editor (templates/autoqa/rule_form.html): only the settings the chosen kind of
   check reads are shown (each field names its kinds in data-kinds, autoqa.forms.FIELDS_BY_KIND), and a
   call's window in seconds only once a window is chosen. Without this script every setting shows, and
   the server's form validates everything either way; a field with an error is never hidden. */
(function () {
  "use strict";
  const form = document.getElementById("rule-form");
  if (!form) return;
  const kind = form.querySelector('[name="kind"]');
  const window_ = form.querySelector('[name="window"]');
  if (!kind) return;

  function wrapperOf(field) {
    const own = document.getElementById("div_id_" + field.name) || field.closest(".mb-3") || field.parentElement;
    const outer = own.parentElement;  // a checkbox's form-check sits in a spacing div of its own
    return outer && outer !== form && outer.classList.contains("mb-3") && outer.children.length === 1 ? outer : own;
  }
  function refresh() {
    form.querySelectorAll("[data-kinds]").forEach(function (field) {
      let shown = field.dataset.kinds.split(" ").includes(kind.value);
      if (shown && field.dataset.withWindow && window_) shown = window_.value !== "";
      if (field.classList.contains("is-invalid")) shown = true;
      wrapperOf(field).hidden = !shown;
    });
  }
  kind.addEventListener("change", refresh);
  if (window_) window_.addEventListener("change", refresh);
  refresh();
})();
