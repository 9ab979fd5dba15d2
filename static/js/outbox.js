/*
 * The outbox: visit reports and photos kept on this phone until the server has them.
 *
 * IndexedDB database "qa-outbox":
 *   reports  {key, assignmentId, url, reportUrl, title, fields: [[name, value]], createdAt, attempts,
 *             state, errors: [{field, label, message}], message, serverStatus, sentAt}
 *   files    {clientKey, assignmentId, uploadUrl, kind, blob, name, createdAt}
 *
 * A report's state is one of
 *   waiting    kept here until there is a connection (serverStatus: the server failed last time);
 *   sending    on its way now;
 *   sent       the server has it (kept a few hours, without its answers, so the shopper sees it went);
 *   attention  the server refused it: errors says why; the shopper opens it, fixes it and sends again;
 *   signin     the shopper was signed out; it is sent again once they sign in;
 *   closed     the visit no longer takes a report (message says why); it can only be deleted.
 * The words shown for each come from the page's translated strings (templates/qa/_outbox_strings.html).
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
    // The page's own CSRF field is left out: signing in again rotates the token, and Django
    // reads a token in the body before the header, which QA.json fills with the current one.
    entry.fields.forEach(function (pair) { if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]); });
    body.set("submission_key", entry.key);
    return QA.json(entry.url, { method: "POST", body: body });
  }

  const SENT_KEPT_MS = 12 * 60 * 60 * 1000;
  let flushing = null;

  async function settle(entry, result) {
    /* What the server's answer means for a report on this phone. */
    if (result.ok && result.body && result.body.status === "submitted") {
      Object.assign(entry, { state: "sent", sentAt: Date.now(), fields: [], errors: [], message: "" });
      try { localStorage.removeItem("qa-draft-" + entry.assignmentId); localStorage.removeItem("qa-key-" + entry.assignmentId); } catch (e) { /* private mode */ }
      await put("reports", entry); notify("report-sent", entry);
    } else if (result.ok || result.status === 401 || (result.status === 403 && !result.body)) {
      // A page instead of an answer: the session ended (the sign-in page answered) or its
      // CSRF cookie went with it. Kept, and sent again once the shopper has signed in.
      entry.state = "signin";
      await put("reports", entry); notify("report-signin", entry);
    } else if (result.status === 422) {
      entry.state = "attention"; entry.errors = (result.body && result.body.errors) || [];
      await put("reports", entry); notify("report-attention", entry);
    } else if (result.status === 409 || result.status === 403 || result.status === 404) {
      entry.state = "closed"; entry.message = (result.body && result.body.message) || ""; // the server's words
      await put("reports", entry); notify("report-closed", entry);
    } else {
      entry.attempts = (entry.attempts || 0) + 1; entry.state = "waiting"; entry.serverStatus = result.status;
      await put("reports", entry); notify("report-retry", entry);
    }
  }

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
        if (!sendable(entry)) continue;
        entry.state = "sending";
        await put("reports", entry); notify("report-sending", entry); render();
        let result;
        try {
          result = await sendReport(entry);
        } catch (error) {
          entry.state = "waiting"; await put("reports", entry);
          return; // offline again
        }
        await settle(entry, result);
      }
    })().finally(function () { flushing = null; render(); });
    return flushing;
  }

  function sendable(entry) { return entry.state === "waiting" || entry.state === "sending" || entry.state === "signin"; }

  function notify(type, detail) {
    document.dispatchEvent(new CustomEvent("outbox:" + type, { detail: detail }));
  }

  function queueReport(entry) {
    /* Keep a report on this phone (replacing an earlier copy with the same key) until it is sent. */
    entry.createdAt = entry.createdAt || Date.now();
    entry.attempts = entry.attempts || 0;
    entry.state = "waiting";
    entry.errors = [];
    entry.message = "";
    return put("reports", entry).then(render);
  }

  function forAssignment(assignmentId) {
    return all("reports").then(function (reports) {
      return reports.filter(function (r) { return r.assignmentId === assignmentId && r.state !== "sent"; })[0] || null;
    });
  }

  function timeOf(ms) { return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function describe(entry) {
    /* The state's name and what it means, in the page's language. */
    const waiting = entry.serverStatus ? QA.format(t.outboxRetry, { status: entry.serverStatus }) : t.outboxWaiting;
    return {
      waiting: [t.outboxStateWaiting, waiting],
      sending: [flushing ? t.outboxStateSending : t.outboxStateWaiting, flushing ? "" : waiting],
      sent: [t.outboxStateSent, QA.format(t.outboxSent, { time: timeOf(entry.sentAt || Date.now()) })],
      attention: [t.outboxStateAttention, t.outboxAttention],
      signin: [t.outboxStateAttention, t.outboxSignin],
      closed: [t.outboxStateAttention, entry.message || t.outboxClosed],
    }[entry.state] || [t.outboxStateWaiting, waiting];
  }

  const BADGES = { waiting: "text-bg-secondary", sending: "text-bg-info", sent: "text-bg-success",
                   attention: "text-bg-danger", signin: "text-bg-danger", closed: "text-bg-danger" };

  async function render() {
    /* On the shopper's home page: every report on this phone, with its state and what can be done. */
    const section = document.getElementById("outbox");
    if (!section) return;
    let reports = await all("reports");
    for (const old of reports.filter(function (r) { return r.state === "sent" && Date.now() - r.sentAt > SENT_KEPT_MS; })) {
      await remove("reports", old.key);
    }
    reports = reports.filter(function (r) { return !(r.state === "sent" && Date.now() - r.sentAt > SENT_KEPT_MS); });
    // A sent report the page already lists from the server is shown once, there.
    reports = reports.filter(function (r) { return !(r.state === "sent" && document.querySelector("[data-listed-assignment=\"" + r.assignmentId + "\"]")); });
    const list = document.getElementById("outbox-list");
    const template = document.getElementById("outbox-row");
    list.textContent = "";
    section.hidden = reports.length === 0;
    reports.sort(function (a, b) { return a.createdAt - b.createdAt; });
    reports.forEach(function (entry) {
      const row = template.content.firstElementChild.cloneNode(true);
      const words = describe(entry);
      row.dataset.key = entry.key;
      row.dataset.state = entry.state;
      row.querySelector("[data-field=title]").textContent = entry.title;
      const badge = row.querySelector("[data-field=state]");
      badge.textContent = words[0];
      badge.classList.add(BADGES[entry.state] || "text-bg-secondary");
      row.querySelector("[data-field=status]").textContent =
        QA.format(t.outboxKept, { time: new Date(entry.createdAt).toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) }) +
        (words[1] ? " · " + words[1] : "");
      const errors = row.querySelector("[data-field=errors]");
      (entry.state === "attention" ? entry.errors || [] : []).forEach(function (error) {
        const li = document.createElement("li");
        li.textContent = (error.label ? error.label + ": " : "") + error.message;
        errors.appendChild(li);
      });
      errors.hidden = !errors.children.length;
      const open = row.querySelector("[data-field=open]");
      const fix = row.querySelector("[data-field=fix]");
      const send = row.querySelector("[data-action=send]");
      const del = row.querySelector("[data-action=delete]");
      open.href = fix.href = entry.reportUrl;
      send.hidden = !(entry.state === "waiting" || entry.state === "signin");
      open.hidden = !(entry.state === "waiting" || entry.state === "signin");
      fix.hidden = entry.state !== "attention";
      del.hidden = entry.state === "sent" || entry.state === "sending";
      row.querySelector(".outbox-actions").hidden = send.hidden && open.hidden && fix.hidden && del.hidden;
      send.addEventListener("click", function () {
        entry.state = "waiting"; put("reports", entry).then(flush);
      });
      del.addEventListener("click", function () {
        if (window.confirm(t.outboxConfirmDelete)) remove("reports", entry.key).then(render);
      });
      list.appendChild(row);
    });
  }

  window.QAOutbox = {
    queueReport: queueReport, putFile: function (f) { return put("files", f); }, removeFile: function (k) { return remove("files", k); },
    files: function () { return all("files"); }, reports: function () { return all("reports"); }, forAssignment: forAssignment,
    remove: function (key) { return remove("reports", key); }, settle: settle, describe: describe,
    flush: flush, uploadFile: uploadFile, uuid: uuid, render: render,
  };

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    render();
    if (navigator.onLine) flush();
    setInterval(function () { if (navigator.onLine) all("reports").then(function (r) { if (r.some(sendable)) flush(); }); }, 30000);
  });
})();
