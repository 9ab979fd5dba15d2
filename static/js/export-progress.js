/* Poll an export job and fill its progress bar until the file is ready or the job failed. */
(function () {
  "use strict";
  const box = document.getElementById("export-job");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  function show(percent) {
    bar.style.width = percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
  }
  show(Number(bar.dataset.percent || 0));
  async function poll() {
    let job;
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      job = await response.json();
    } catch (e) { setTimeout(poll, 4000); return; }
    show(job.percent);
    document.getElementById("export-status").textContent = job.label + (job.total ? " · " + job.done + " / " + job.total : "");
    if (job.status === "done") { document.getElementById("export-download").hidden = false; return; }
    if (job.status === "failed") {
      document.getElementById("export-error").textContent = job.error;
      document.getElementById("export-failed").hidden = false; return;
    }
    setTimeout(poll, 1500);
  }
  const status = document.getElementById("export-status").dataset.status;
  if (status !== "done" && status !== "failed") poll();
})();
