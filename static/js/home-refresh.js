/*
 * The shopper's home page, kept true when the outbox sends a report from this page: the
 * visit moves from "Accepted visits" to "Sent, waiting for a reviewer" at once, without a
 * reload. The lists (#visit-lists) are fetched again from the server and swapped in.
 */
(function () {
  "use strict";
  const lists = document.getElementById("visit-lists");
  if (!lists) return;
  let timer = null;

  function refresh() {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("visit-lists");
        if (fresh) lists.replaceChildren.apply(lists, Array.from(fresh.childNodes).map(function (n) { return document.importNode(n, true); }));
        if (window.QAOutbox) QAOutbox.render(); // a sent report now listed by the server is shown once
      })
      .catch(function () { /* offline again: the next send refreshes */ });
  }

  document.addEventListener("outbox:report-sent", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300); // several reports sent in one go make one fetch
  });
})();
