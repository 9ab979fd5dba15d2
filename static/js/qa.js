/*
 * What every page script shares, written once (loaded by base.html before any page script):
 * - QA.csrfToken(): Django's CSRF token, from the cookie or the form on the page;
 * - QA.json(url, options): a same-origin request that asks for JSON, sends the token on
 *   anything but GET, and resolves with {ok, status, body} (rejects only when there is no
 *   connection), so no caller parses or guesses twice;
 * - QA.poll(url, onData, options): asks url for JSON until onData returns true, trying again
 *   more slowly while the connection is gone;
 * - QA.strings() and QA.format(): the page's translated strings. A script never holds a
 *   visible word of its own: the template renders them, translated, as data attributes of
 *   <div hidden id="i18n"> (or of any <div hidden data-i18n> a partial brings), with {name}
 *   placeholders that format() fills.
 */
(function () {
  "use strict";

  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function json(url, options) {
    const opts = Object.assign({ method: "GET" }, options || {});
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    let body = opts.body;
    if (body && !(body instanceof FormData) && typeof body !== "string") {
      body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    if (opts.method !== "GET") headers["X-CSRFToken"] = csrfToken();
    const response = await fetch(url, { method: opts.method, body: body, headers: headers, credentials: "same-origin" });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; } // an HTML error page, or nothing
    return { ok: response.ok, status: response.status, body: data, response: response };
  }

  function poll(url, onData, options) {
    const opts = Object.assign({ every: 1500, offline: 4000 }, options || {});
    async function once() {
      let result;
      try { result = await json(url); } catch (e) { setTimeout(once, opts.offline); return; }
      if (!result.ok || !result.body) { setTimeout(once, opts.offline); return; }
      if (onData(result.body) !== true) setTimeout(once, opts.every);
    }
    once();
  }

  function strings() {
    /* Merged from every box on the page, so a partial (the outbox's) can bring its own. */
    const merged = {};
    document.querySelectorAll("#i18n, [data-i18n]").forEach(function (box) { Object.assign(merged, box.dataset); });
    return merged;
  }

  function format(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  window.QA = { csrfToken: csrfToken, json: json, poll: poll, strings: strings, format: format };
})();
