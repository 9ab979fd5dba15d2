/*
 * The outbox: visit reports and photos kept on this phone until the server has them.
 *
 * IndexedDB database "qa-outbox":
 *   reports  {key, assignmentId, url, reportUrl, title, fields: [[name, value]], createdAt, attempts, state, message}
 *   files    {clientKey, assignmentId, uploadUrl, kind, blob, name, createdAt}
 *
 * A report's state is a code (waiting, attention, closed); the words shown for it come from
 * the page's translated strings (templates/qa/_outbox_strings.html) when it is displayed.
 * A report is sent with its client-made key, so sending it twice creates one report.
 * flush() runs on page load, when the connection returns, and every 30 s while
 * anything waits. Photos of an assignment are sent before its report.
 */
(function () {
  "use strict";
  if (!window.QA) return;
  const DB_NAME = "qa-outbox";
  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          const db = request.result;
          if (!db.objectStoreNames.contains("reports")) db.createObjectStore("reports", { keyPath: "key" });
          if (!db.objectStoreNames.contains("files")) {
            const files = db.createObjectStore("files", { keyPath: "clientKey" });
            files.createIndex("assignmentId", "assignmentId");
          }
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(store, mode);
        const result = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  const put = function (store, value) { return tx(store, "readwrite", function (s) { s.put(value); }); };
  const remove = function (store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); };
  const all = function (store) { return tx(store, "readonly", function (s) { return s.getAll(); }); };

  const csrfToken = QA.csrfToken;
  const t = QA.strings();

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function uploadFile(entry, onProgress) {
    /* XHR rather than fetch: it reports upload progress. Resolves with the server's JSON. */
    return new Promise(function (resolve, reject) {
      const body = new FormData();
      body.append("file", entry.blob, entry.name || "photo.jpg");
      body.append("kind", entry.kind);
      body.append("client_key", entry.clientKey);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", entry.uploadUrl);
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.setRequestHeader("Accept", "application/json");
      if (onProgress) xhr.upload.onprogress = function (e) { if (e.lengthComputable) onProgress(e.loaded / e.total); };
      xhr.onload = function () {
        let data = {};
        try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 200 && xhr.status < 300) resolve(data);
        else reject({ status: xhr.status, message: data.error || "" });
      };
      xhr.onerror = function () { reject({ status: 0, message: "" }); };
      xhr.send(body);
    });
  }

  function sendReport(entry) {
    const body = new FormData();
    entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("submission_key", entry.key);
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    });
  }

  let flushing = null;

  function flush() {
    /* Send everything waiting. Stops at the first network failure: the connection is gone. */
    if (flushing) return flushing;
    flushing = (async function () {
      const files = await all("files");
      for (const file of files) {
        try {
          await uploadFile(file);
          await remove("files", file.clientKey);
          notify("file-sent", file);
        } catch (error) {
          if (error.status === 0) return;
          if (error.status >= 400 && error.status < 500) { await remove("files", file.clientKey); notify("file-refused", Object.assign({}, file, { message: error.message })); }
        }
      }
      const reports = await all("reports");
      for (const entry of reports) {
        if (entry.state === "attention" || entry.state === "closed") continue;
        let response;
        try {
          response = await sendReport(entry);
        } catch (error) {
          return; // offline again
        }
        if (response.ok) {
          await remove("reports", entry.key);
          try { localStorage.removeItem("qa-draft-" + entry.assignmentId); localStorage.removeItem("qa-key-" + entry.assignmentId); } catch (e) { /* private mode */ }
          notify("report-sent", entry);
        } else if (response.status === 422) {
          entry.state = "attention"; entry.message = "";
          await put("reports", entry); notify("report-attention", entry);
        } else if (response.status === 409 || response.status === 403 || response.status === 404) {
          let message = "";
          try { message = (await response.json()).message || ""; } catch (e) { /* not JSON */ }
          entry.state = "closed"; entry.message = message; // the server's words, already translated
          await put("reports", entry); notify("report-closed", entry);
        } else {
          entry.attempts = (entry.attempts || 0) + 1; entry.state = "waiting"; entry.serverStatus = response.status;
          await put("reports", entry); notify("report-retry", entry);
        }
      }
    })().finally(function () { flushing = null; render(); });
    return flushing;
  }

  function notify(type, detail) {
    document.dispatchEvent(new CustomEvent("outbox:" + type, { detail: detail }));
  }

  function queueReport(entry) {
    entry.createdAt = entry.createdAt || Date.now();
    entry.attempts = entry.attempts || 0;
    entry.state = "waiting";
    entry.message = "";
    return put("reports", entry).then(render);
  }

  function describe(entry) {
    /* The words for a report's state, in the page's language. */
    if (entry.state === "attention") return t.outboxAttention;
    if (entry.state === "closed") return entry.message || t.outboxClosed;
    if (entry.serverStatus) return QA.format(t.outboxRetry, { status: entry.serverStatus });
    return t.outboxWaiting;
  }

  function render() {
    /* On the shopper's home page: list what waits on this phone, with send and delete. */
    const section = document.getElementById("outbox");
    if (!section) return Promise.resolve();
    return all("reports").then(function (reports) {
      const list = document.getElementById("outbox-list");
      const template = document.getElementById("outbox-row");
      list.textContent = "";
      section.hidden = reports.length === 0;
      reports.forEach(function (entry) {
        const row = template.content.firstElementChild.cloneNode(true);
        row.dataset.key = entry.key;
        row.querySelector("[data-field=title]").textContent = entry.title;
        row.querySelector("[data-field=status]").textContent =
          new Date(entry.createdAt).toLocaleString() + " · " + describe(entry);
        row.querySelector("[data-field=open]").href = entry.reportUrl;
        row.querySelector("[data-action=send]").addEventListener("click", function () {
          entry.state = "waiting"; put("reports", entry).then(flush);
        });
        row.querySelector("[data-action=delete]").addEventListener("click", function () {
          if (window.confirm(t.outboxConfirmDelete)) remove("reports", entry.key).then(render);
        });
        list.appendChild(row);
      });
    });
  }

  window.QAOutbox = {
    queueReport: queueReport, putFile: function (f) { return put("files", f); }, removeFile: function (k) { return remove("files", k); },
    files: function () { return all("files"); }, reports: function () { return all("reports"); },
    flush: flush, uploadFile: uploadFile, uuid: uuid, render: render,
  };

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    render();
    if (navigator.onLine) flush();
    setInterval(function () { if (navigator.onLine) all("reports").then(function (r) { if (r.length) flush(); }); }, 30000);
  });
})();
