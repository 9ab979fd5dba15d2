/* Poll a running import and move its progress bar; reload the page when it has finished. */
(function () {
  "use strict";
  const box = document.getElementById("import-job");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  bar.style.width = (bar.dataset.percent || 0) + "%";
  if (box.dataset.finished) return;
  async function poll() {
    let job;
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      job = await response.json();
    } catch (e) { setTimeout(poll, 4000); return; }
    bar.style.width = job.percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(job.percent));
    document.getElementById("import-status").textContent = job.label + (job.total ? " · " + job.done + " / " + job.total : "");
    if (job.finished) { window.location.reload(); return; }
    setTimeout(poll, 1500);
  }
  poll();
})();
