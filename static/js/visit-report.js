/*
 * The visit report page, on top of a form that works without it:
 * - saves a draft as the shopper types: always to this phone (localStorage), and to
 *   the server when online; on opening, restores the newer of the two;
 * - checks the report on the phone first (visit-checks.js), with the server's rules and words;
 * - submits with a client-made key, so a double tap or a resend makes one report;
 * - offline or on a server error, keeps the report in the outbox (outbox.js), and shows the
 *   state of a report kept there: waiting, sending, or refused with its errors to fix;
 * - shows every refusal (the phone's or the server's) in the summary at the top, linking to
 *   each field (form-errors.js);
 * - fills arrival with the phone's time when the report is first opened, and offers "Now"
 *   for both times (departure stays empty until the shopper sets it);
 * - resizes photos before upload, with a progress bar and a retry per file;
 * - asks for the phone's location only when the shopper taps the button.
 */
(function () {
  "use strict";
  const form = document.getElementById("visit-form");
  if (!form || !window.QA || !window.QAOutbox || !window.QAFormErrors) return;
  const Outbox = window.QAOutbox;
  const assignmentId = form.dataset.assignment;
  const t = QA.strings();
  const DRAFT_KEY = "qa-draft-" + assignmentId;
  const SUBMIT_KEY = "qa-key-" + assignmentId;
  const SKIP = new Set(["csrfmiddlewaretoken", "submission_key"]);
  const statusLine = document.getElementById("save-status");
  let serverTimer = null;
  let lastServerSave = null;

  function storage(action, key, value) {
    try {
      if (action === "get") return localStorage.getItem(key);
      if (action === "set") return localStorage.setItem(key, value);
      return localStorage.removeItem(key);
    } catch (e) { return null; }
  }

  function timeOf(ms) { return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function serialize() {
    const data = {};
    new FormData(form).forEach(function (value, name) {
      if (SKIP.has(name) || value instanceof File) return;
      data[name] = value;
    });
    return data;
  }

  function fields() {
    const pairs = [];
    new FormData(form).forEach(function (value, name) { if (!(value instanceof File)) pairs.push([name, value]); });
    return pairs;
  }

  function apply(data) {
    Array.from(form.elements).forEach(function (el) {
      if (!el.name || SKIP.has(el.name) || el.type === "file") return;
      const has = Object.prototype.hasOwnProperty.call(data, el.name);
      if (el.type === "radio") el.checked = has && data[el.name] === el.value;
      else if (el.type === "checkbox") el.checked = has;
      else if (has) el.value = data[el.name];
    });
  }

  function showSaved(localMs) {
    statusLine.textContent = lastServerSave && navigator.onLine // offline, the server has not got this copy
      ? QA.format(t.savedBoth, { time: timeOf(localMs), server: lastServerSave })
      : QA.format(t.savedPhone, { time: timeOf(localMs) });
  }

  function saveDraft() {
    const draft = { data: serialize(), client_saved_at: Date.now() };
    storage("set", DRAFT_KEY, JSON.stringify(draft));
    showSaved(draft.client_saved_at);
    clearTimeout(serverTimer);
    serverTimer = setTimeout(function () { saveToServer(draft); }, 1500);
  }

  function saveToServer(draft) {
    if (!navigator.onLine) return;
    QA.json(form.dataset.draftUrl, { method: "POST", body: draft }).then(function (result) {
      if (result.ok && result.body && result.body.saved_at) { lastServerSave = result.body.saved_at; showSaved(draft.client_saved_at); }
    }).catch(function () { /* offline: the phone's copy is enough until later */ });
  }

  function restore() {
    /* The newer of the phone's copy and the server's copy wins, by the phone's clock when typed. */
    if (form.querySelector(".is-invalid")) return true; // the server just re-rendered the form with its errors
    let local = null;
    try { local = JSON.parse(storage("get", DRAFT_KEY) || "null"); } catch (e) { local = null; }
    let server = null;
    try { server = JSON.parse(document.getElementById("server-draft").textContent); } catch (e) { server = null; }
    const candidates = [[local, t.thisPhone], [server, t.theServer]].filter(function (c) { return c[0] && c[0].data; });
    if (!candidates.length) return false;
    candidates.sort(function (a, b) { return b[0].client_saved_at - a[0].client_saved_at; });
    const newest = candidates[0];
    apply(newest[0].data);
    statusLine.textContent = QA.format(t.restored, { source: newest[1], time: timeOf(newest[0].client_saved_at) });
    return true;
  }

  function submissionKey() {
    let key = storage("get", SUBMIT_KEY);
    if (!key) { key = Outbox.uuid(); storage("set", SUBMIT_KEY, key); }
    return key;
  }

  function showError(text) {
    const box = document.getElementById("submit-error");
    box.textContent = text; box.hidden = !text;
  }

  const summary = document.getElementById("error-summary");
  const banner = document.getElementById("queued-banner");

  function queue(extra) {
    const key = submissionKey();
    return Outbox.queueReport({
      key: key, assignmentId: assignmentId, url: form.action || form.dataset.reportUrl, reportUrl: form.dataset.reportUrl,
      title: form.dataset.title, fields: fields(), serverStatus: (extra && extra.serverStatus) || 0,
    }).then(function () { showKept({ state: "waiting" }); banner.scrollIntoView({ block: "center" }); });
  }

  function showKept(entry) {
    /* The state of this visit's report kept on the phone, in words, above the form. While it
     * waits to be sent, "Send the report" is off: a second tap would do nothing more. */
    const sendButton = document.getElementById("send-report");
    const waiting = Boolean(entry) && (entry.state === "waiting" || entry.state === "sending");
    sendButton.disabled = waiting;
    sendButton.textContent = waiting ? t.queuedButton : t.sendButton;
    const words = entry && {
      waiting: t.queued, sending: t.queuedSending, attention: t.queuedAttention, signin: t.signedOut,
      closed: entry.message || t.outboxClosed,
    }[entry.state];
    banner.textContent = words || "";
    banner.hidden = !words;
    banner.classList.toggle("alert-info", !entry || entry.state === "waiting" || entry.state === "sending");
    banner.classList.toggle("alert-warning", Boolean(entry) && entry.state !== "waiting" && entry.state !== "sending");
  }

  function fieldsAsData(pairs) {
    const data = {};
    pairs.forEach(function (pair) { if (!SKIP.has(pair[0])) data[pair[0]] = pair[1]; });
    return data;
  }

  let sending = false;

  async function submit(event) {
    if (event.submitter && event.submitter.getAttribute("formaction")) return; // "Remove photo" buttons post elsewhere
    event.preventDefault();
    if (sending) return; // a double tap sends once; the key would make it harmless anyway
    saveDraft();
    showError("");
    const problems = window.QAVisitChecks ? QAVisitChecks.check(form) : [];
    if (problems.length) { QAFormErrors.show(form, summary, problems); return; } // nothing is queued that the server would refuse
    QAFormErrors.clear(form, summary);
    sending = true;
    const button = document.getElementById("send-report");
    button.disabled = true;
    const label = button.textContent;
    button.textContent = t.sending;
    try {
      if (!navigator.onLine) { await queue(); return; }
      // A copy already kept on this phone is replaced by what the page holds now, so the outbox
      // never sends an older version ahead of this one (both carry the same key).
      if (await Outbox.forAssignment(assignmentId)) await queue();
      await Outbox.flush(); // photos first
      const body = new FormData(form);
      const key = submissionKey();
      body.set("submission_key", key);
      let result;
      try {
        result = await QA.json(form.action || window.location.href, { method: "POST", body: body });
      } catch (networkError) {
        await queue(); return;
      }
      if (result.ok && result.body && result.body.status === "submitted") {
        storage("remove", DRAFT_KEY); storage("remove", SUBMIT_KEY);
        if (window.QAVisitSteps) QAVisitSteps.forget();
        await Outbox.remove(key);
        window.location.assign(result.body.redirect || form.dataset.homeUrl);
        return;
      }
      if (result.ok) { await queue(); showKept({ state: "signin" }); return; } // the sign-in page answered
      if (result.status === 422) {
        QAFormErrors.show(form, summary, (result.body && result.body.errors) || []);
        return;
      }
      if (result.status === 409) {
        storage("remove", SUBMIT_KEY);
        showError((result.body && result.body.message) || "");
        return;
      }
      // 5xx: keep it on this phone; the outbox retries with the same key.
      showError(t.serverError);
      await queue({ serverStatus: result.status });
      setTimeout(function () { Outbox.flush(); }, 3000);
    } finally {
      sending = false;
      if (!banner.hidden && banner.classList.contains("alert-info")) return; // kept on the phone: showKept set the button
      button.disabled = false;
      button.textContent = label;
    }
  }

  /* ---- Times ---- */

  function localNow() {
    const now = new Date();
    const pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }

  function addNowButtons() {
    ["arrived_at", "departed_at"].forEach(function (name) {
      const input = form.elements[name];
      if (!input || input.parentElement.querySelector("[data-now]")) return;
      const button = document.createElement("button");
      button.type = "button";
      button.classList.add("btn", "btn-outline-secondary", "mt-1");
      button.dataset.now = name;
      button.textContent = t.now;
      button.addEventListener("click", function () { input.value = localNow(); saveDraft(); });
      input.insertAdjacentElement("afterend", button);
    });
  }

  /* ---- Photos ---- */

  async function resize(file) {
    /* Phones take 4000-pixel photos; 1600 is plenty for a receipt and far quicker on one bar. */
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return await new Promise(function (resolve) { canvas.toBlob(function (b) { resolve(b || file); }, "image/jpeg", 0.85); });
    } catch (e) {
      return file; // the server checks and converts what the browser cannot
    }
  }

  function uploadRow(entry) {
    const row = document.getElementById("upload-row").content.firstElementChild.cloneNode(true);
    row.dataset.clientKey = entry.clientKey;
    row.dataset.evidenceKind = entry.kind;
    row.querySelector("[data-field=name]").textContent = entry.kind === "receipt" ? t.receipt : entry.name;
    document.getElementById("upload-list").appendChild(row);
    return row;
  }

  function setProgress(row, fraction, text) {
    const bar = row.querySelector(".progress-bar");
    bar.style.width = Math.round(fraction * 100) + "%";
    row.querySelector(".progress").setAttribute("aria-valuenow", String(Math.round(fraction * 100)));
    row.querySelector("[data-field=status]").textContent = text;
  }

  async function send(entry, row) {
    const retry = row.querySelector("[data-action=retry]");
    retry.hidden = true;
    if (!navigator.onLine) { setProgress(row, 0, t.uploadWaiting); return; }
    setProgress(row, 0, t.uploading);
    try {
      const result = await Outbox.uploadFile(entry, function (f) { setProgress(row, f, t.uploading); });
      await Outbox.removeFile(entry.clientKey);
      setProgress(row, 1, t.uploaded);
      rememberEvidence({ id: result.id, url: result.url, kind: result.kind, label: result.label });
      const img = row.querySelector("img");
      img.src = result.url; img.alt = result.label; img.hidden = false;
    } catch (error) {
      if (error.status >= 400 && error.status < 500) {
        await Outbox.removeFile(entry.clientKey);
        row.dataset.refused = "";
        setProgress(row, 0, error.message || t.uploadRefused);
      } else {
        setProgress(row, 0, error.status === 0 ? t.uploadWaiting : t.uploadFailed);
        retry.hidden = false;
      }
    }
  }

  async function addFiles(input) {
    const files = Array.from(input.files || []);
    input.value = "";
    for (const file of files) {
      const blob = await resize(file);
      const entry = {
        clientKey: Outbox.uuid(), assignmentId: assignmentId, uploadUrl: form.dataset.evidenceUrl,
        kind: input.dataset.kind, blob: blob, name: file.name.replace(/\.[^.]+$/, "") + ".jpg", createdAt: Date.now(),
      };
      await Outbox.putFile(entry); // kept on the phone until the server has it
      const row = uploadRow(entry);
      row.querySelector("[data-action=retry]").addEventListener("click", function () { send(entry, row); });
      send(entry, row);
    }
  }

  function bindFileInputs() {
    form.querySelectorAll("input[type=file][data-kind]").forEach(function (input) {
      input.addEventListener("change", function () { addFiles(input); });
    });
    const button = document.getElementById("checkin-button");
    if (button && navigator.geolocation) {
      button.hidden = false;
      button.addEventListener("click", checkIn);
    }
  }

  async function showPendingFiles() {
    const files = (await Outbox.files()).filter(function (f) { return f.assignmentId === assignmentId; });
    files.forEach(function (entry) {
      const row = uploadRow(entry);
      row.querySelector("[data-action=retry]").addEventListener("click", function () { send(entry, row); });
      send(entry, row);
    });
  }

  /* ---- Evidence already uploaded, remembered on the phone ----
   * Online, the page lists what the server holds; offline, the page is the copy kept by the
   * service worker, which may be older than an upload. The phone remembers every photo the
   * server has for this visit, so an offline reload still shows them (and the check for a
   * required receipt counts them). */

  const EVIDENCE_KEY = "qa-evidence-" + assignmentId;

  function rememberedEvidence() {
    try { return JSON.parse(storage("get", EVIDENCE_KEY) || "[]"); } catch (e) { return []; }
  }

  function rememberEvidence(item) {
    const list = rememberedEvidence().filter(function (e) { return e.id !== item.id; });
    list.push(item);
    storage("set", EVIDENCE_KEY, JSON.stringify(list));
  }

  function showRememberedEvidence() {
    const listed = document.getElementById("evidence-list");
    const onPage = Array.from(listed.querySelectorAll("[data-evidence]")).map(function (li) {
      return { id: Number(li.dataset.evidence), url: li.querySelector("img").getAttribute("src"), kind: li.dataset.evidenceKind,
               label: li.querySelector("span").textContent.trim() };
    });
    if (navigator.onLine) { storage("set", EVIDENCE_KEY, JSON.stringify(onPage)); return; } // the server's list is the truth
    rememberedEvidence().forEach(function (item) {
      if (onPage.some(function (e) { return e.id === item.id; })) return;
      const row = document.createElement("li");
      row.classList.add("d-flex", "align-items-center", "gap-2", "mb-2");
      row.dataset.evidence = String(item.id);
      row.dataset.evidenceKind = item.kind;
      const img = document.createElement("img");
      img.src = item.url; img.alt = item.label; img.width = 64; img.height = 64; img.classList.add("rounded", "object-fit-cover");
      const name = document.createElement("span");
      name.className = "flex-grow-1"; name.textContent = item.label + " · " + t.uploaded;
      row.append(img, name);
      listed.appendChild(row);
    });
  }

  /* ---- Check-in ---- */

  function checkIn() {
    const status = document.getElementById("checkin-status");
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.latitude.value = position.coords.latitude.toFixed(6);
      form.elements.longitude.value = position.coords.longitude.toFixed(6);
      form.elements.accuracy.value = Math.round(position.coords.accuracy);
      status.textContent = QA.format(t.locationOk, { metres: Math.round(position.coords.accuracy) });
      saveDraft();
    }, function () {
      status.textContent = t.locationDenied;
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  /* ---- Start ---- */

  const restored = restore();
  if (!restored && form.elements.arrived_at && !form.elements.arrived_at.value) {
    form.elements.arrived_at.value = localNow(); // opened as the visit starts; the shopper can change it
    saveDraft(); // so a reload keeps this time rather than taking a later one
  }
  addNowButtons();
  showRememberedEvidence();
  bindFileInputs();
  showPendingFiles();
  Outbox.forAssignment(assignmentId).then(function (entry) {
    if (!entry) return;
    if (entry.state === "attention") {
      apply(fieldsAsData(entry.fields)); // what was sent, so the shopper fixes that
      QAFormErrors.show(form, summary, entry.errors || []);
    }
    showKept(entry);
  });
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  form.addEventListener("submit", submit);
  ["sending", "retry", "signin", "closed"].forEach(function (type) {
    document.addEventListener("outbox:report-" + type, function (e) { if (e.detail.assignmentId === assignmentId) showKept(e.detail); });
  });
  document.addEventListener("outbox:report-attention", function (e) {
    if (e.detail.assignmentId !== assignmentId) return;
    showKept(e.detail);
    QAFormErrors.show(form, summary, e.detail.errors || []);
  });
  document.addEventListener("outbox:report-sent", function (e) {
    if (e.detail.assignmentId !== assignmentId) return;
    if (window.QAVisitSteps) QAVisitSteps.forget();
    window.location.assign(form.dataset.homeUrl);
  });
})();
