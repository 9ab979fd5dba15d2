/* Poll an export job and fill its progress bar until the file is ready or the job failed. */
(function () {
  "use strict";
  const box = document.getElementById("export-job");
  if (!box || !window.QA) return;
  const t = QA.strings();
  const bar = box.querySelector(".progress-bar");
  function show(percent) {
    bar.style.width = percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
  }
  show(Number(bar.dataset.percent || 0));
  const status = document.getElementById("export-status").dataset.status;
  if (status === "done" || status === "failed") return;
  QA.poll(box.dataset.statusUrl, function (job) {
    show(job.percent);
    document.getElementById("export-status").textContent =
      job.label + (job.total ? " · " + QA.format(t.progress, { done: job.done, total: job.total }) : "");
    if (job.status === "done") { document.getElementById("export-download").hidden = false; return true; }
    if (job.status === "failed") {
      document.getElementById("export-error").textContent = job.error;
      document.getElementById("export-failed").hidden = false;
      return true;
    }
    return false;
  });
})();
