/*
 * The shopper's app opens with no connection: registers the service worker (qa/offline.py) and
 * asks it to keep this page and every page it links to that the worker keeps (the report page
 * of each accepted visit, with its scorecard), so a visit not opened yet still opens offline.
 * While there is no connection the page says so, and hides the messages of the kept copy
 * (they were about what happened when it was kept, not now).
 */
(function () {
  "use strict";
  const note = document.getElementById("offline-note");
  if (!note) return;

  function showState() {
    note.hidden = navigator.onLine;
    document.querySelectorAll(".messages").forEach(function (box) { if (!navigator.onLine) box.hidden = true; });
  }
  window.addEventListener("online", showState);
  window.addEventListener("offline", showState);
  showState();

  if (!("serviceWorker" in navigator)) return;
  function paths() {
    const found = new Set([window.location.pathname]);
    document.querySelectorAll("a[href]").forEach(function (link) {
      const url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin) found.add(url.pathname);
    });
    return Array.from(found);
  }
  navigator.serviceWorker.register(note.dataset.worker, { scope: note.dataset.scope })
    .then(function () { return navigator.serviceWorker.ready; })
    .then(function (registration) {
      if (navigator.onLine && registration.active) registration.active.postMessage({ type: "keep", paths: paths() });
    })
    .catch(function () { /* no worker (private mode, old browser): the app still works online */ });
})();
