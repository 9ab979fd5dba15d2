// The qualification form: the quiz settings only show for a quiz.
(function () {
  "use strict";
  var form = document.querySelector("[data-qualification-form]");
  if (!form) return;
  var kind = form.querySelector("select[name=kind]");
  var quiz = form.querySelector("[data-quiz-settings]");
  if (!kind || !quiz) return;
  function update() { quiz.hidden = kind.value !== "quiz"; }
  kind.addEventListener("change", update);
  update();
})();
