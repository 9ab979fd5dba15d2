/* Poll a running import and move its progress bar; reload the page when it has finished. */
(function () {
  "use strict";
  const box = document.getElementById("import-job");
  if (!box || !window.QA) return;
  const t = QA.strings();
  const bar = box.querySelector(".progress-bar");
  bar.style.width = (bar.dataset.percent || 0) + "%";
  if (box.dataset.finished) return;
  QA.poll(box.dataset.statusUrl, function (job) {
    bar.style.width = job.percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(job.percent));
    document.getElementById("import-status").textContent =
      job.label + (job.total ? " · " + QA.format(t.progress, { done: job.done, total: job.total }) : "");
    if (job.finished) { window.location.reload(); return true; }
    return false;
  });
})();
