{% autoescape off %}/*
 * The shopper's app with no connection (served by qa/offline.py at /sw.js).
 * Pages: from the network when there is one (a copy of the home page and of each visit's
 * report page is kept as it passes), from the kept copy when there is none. The pages of
 * accepted visits are fetched ahead when the home page asks (offline.js), so a visit the
 * shopper has not opened yet still opens offline. Styles and scripts: the same, network first.
 * Signing out drops every kept page.
 */
"use strict";
const SHELL = "qa-shell-{{ version }}";
const PAGES = "qa-pages";
const ASSETS = {{ assets_json }};
const HOME = {{ home_json }};
const LOGOUT = {{ logout_json }};
const LOGIN = {{ login_json }};
const KEPT = new RegExp({{ kept_json }});
const OFFLINE = {{ offline_json }};

function kept(path) { return path === HOME || KEPT.test(path); }

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(ASSETS.concat([OFFLINE])); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("qa-shell-") === 0 && n !== SHELL; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

async function keep(path, response) {
  /* Keep a page the server gave as itself; a redirect (a closed visit, a sign-in page) drops it. */
  const cache = await caches.open(PAGES);
  if (response.type === "opaqueredirect") { await cache.delete(path); return; }
  if (response.ok && !response.redirected) await cache.put(path, response);
  else await cache.delete(path);
  if (response.redirected && new URL(response.url).pathname === LOGIN) await caches.delete(PAGES);
}

self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "keep") return;
  event.waitUntil(Promise.all((event.data.paths || []).filter(kept).map(function (path) {
    /* A redirect is not followed: once signed out, following it would load the sign-in page,
       whose new CSRF cookie would spoil a sign-in form already open in another tab. */
    return fetch(path, { credentials: "same-origin", redirect: "manual", headers: { Accept: "text/html" } })
      .then(function (response) { return keep(path, response); })
      .catch(function () { /* offline: keep what is there */ });
  })));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) { event.waitUntil(caches.delete(PAGES)); return; }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && kept(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      event.waitUntil(keep(url.pathname, response.clone()));
      return response;
    }).catch(function () {
      return caches.open(PAGES).then(function (cache) { return cache.match(url.pathname); }).then(function (copy) {
        return copy || caches.open(SHELL).then(function (cache) { return cache.match(OFFLINE); });
      });
    }));
    return;
  }
  if (request.mode === "navigate") {
    /* Any other page: the network, or with none, the app's own offline page (not the browser's). */
    event.respondWith(fetch(request).catch(function () {
      return caches.open(SHELL).then(function (cache) { return cache.match(OFFLINE); }).then(function (page) { return page || Response.error(); });
    }));
    return;
  }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) { const copy = response.clone(); event.waitUntil(caches.open(SHELL).then(function (c) { return c.put(url.pathname, copy); })); }
      return response;
    }).catch(function () {
      return caches.open(SHELL).then(function (cache) { return cache.match(url.pathname); }).then(function (copy) { return copy || Response.error(); });
    }));
  }
});
{% endautoescape %}
