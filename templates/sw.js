// Pforte's service worker, served at /sw.js (scope /) with no-cache. The
// server fills in CONFIG = {version, shell, name, icon}: the hashed URLs of this
// tenant's app shell, and a version that changes whenever one of them does.
//
// Caches:
//   pforte-shell-<version>  the app shell; shared, holds nothing personal
//   pforte-user-<key>       pages and /api/dashboard of ONE user; <key> is the
//                           opaque X-Pforte-User of the response (an HMAC of
//                           the user, never the id). Caches of other keys are
//                           dropped as soon as another user's response (or a
//                           signed-out page) arrives, and all of them on logout.
'use strict';
const CONFIG = {}; // filled in by the server
const SHELL = 'pforte-shell-' + CONFIG.version;
const USER_PREFIX = 'pforte-user-';
const PAGE_TIMEOUT_MS = 3000;
const shellURLs = new Set(CONFIG.shell);
// Pages (by client id) this worker answered, and those it answered from the
// cache (they show the offline banner); both are cleared on the page's hello.
const served = new Set();
const fromCache = new Set();

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(CONFIG.shell)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('pforte-shell-') && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const msg = event.data || {};
  switch (msg.type) {
    case 'skip-waiting':
      self.skipWaiting();
      break;
    case 'claim':
      event.waitUntil(self.clients.claim());
      break;
    case 'logout':
      event.waitUntil(dropUserCaches(null));
      break;
    case 'hello': {
      const client = event.source;
      if (!client) break;
      client.postMessage({ type: 'status', offline: fromCache.has(client.id) });
      // A signed-in page this worker did not serve (loaded before it was in
      // control): fetch it once more, in the page's language, to keep it.
      if (msg.signedIn && !served.has(client.id) && client.url) {
        const url = new URL(client.url);
        const headers = /^[a-z]{2}$/.test(msg.lang || '') ? { 'Accept-Language': msg.lang } : {};
        if (url.origin === self.location.origin) {
          const req = new Request(url.pathname + url.search, { credentials: 'same-origin', headers });
          event.waitUntil(fetch(req).then((res) => remember(req, res, true)).catch(() => {}));
        }
      }
      served.delete(client.id);
      fromCache.delete(client.id);
      break;
    }
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(networkFirst(event));
  } else if (url.pathname === '/api/dashboard') {
    event.respondWith(staleWhileRevalidate(event));
  } else if (shellURLs.has(url.pathname)) {
    event.respondWith(caches.match(req, { cacheName: SHELL, ignoreVary: true }).then((hit) => hit || fetch(req)));
  }
  // Everything else (event streams, uploads, other APIs) goes to the network untouched.
});

// networkFirst: the network, unless it takes longer than PAGE_TIMEOUT_MS and
// this user's copy exists; offline, the copy or the offline page.
function networkFirst(event) {
  const req = event.request;
  served.add(event.resultingClientId);
  const net = fetch(req);
  event.waitUntil(net.then((res) => remember(req, res.clone(), true)).catch(() => {}));
  let answered = false;
  const cached = async () => {
    const hit = await userMatch(req);
    if (hit) fromCache.add(event.resultingClientId);
    return hit;
  };
  const late = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS))
    .then(async () => (answered ? undefined : (await cached()) || net));
  return Promise.race([net, late]).then((res) => {
    answered = true;
    return res;
  }, async () => {
    answered = true;
    return (await cached()) || (await caches.match('/offline', { cacheName: SHELL, ignoreVary: true })) || Response.error();
  });
}

// staleWhileRevalidate: this user's last answer at once, refreshed behind it.
function staleWhileRevalidate(event) {
  const req = event.request;
  const net = fetch(req);
  event.waitUntil(net.then((res) => remember(req, res.clone(), false)).catch(() => {}));
  return userMatch(req).then((hit) => hit || net);
}

// remember keeps a response in the cache of the user it belongs to, and
// drops every other user's cache. A signed-out page drops them all.
async function remember(req, res, page) {
  if (res.type !== 'basic' || res.status !== 200 || res.redirected) return;
  const key = res.headers.get('X-Pforte-User');
  if (!key) {
    if (page && (res.headers.get('Content-Type') || '').startsWith('text/html')) await dropUserCaches(null);
    return;
  }
  await dropUserCaches(key);
  if ((res.headers.get('Cache-Control') || '').includes('no-store')) return;
  const cache = await caches.open(USER_PREFIX + key);
  await cache.put(req, res);
}

async function dropUserCaches(keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(USER_PREFIX) && name !== USER_PREFIX + keep) await caches.delete(name);
  }
}

// userMatch looks only in user caches: after the drops above there is at most one.
async function userMatch(req) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(USER_PREFIX)) continue;
    const hit = await caches.match(req, { cacheName: name, ignoreVary: true });
    if (hit) return hit;
  }
  return undefined;
}

// Web push: a JSON message {id, title, body, url, tag} (url a path on this
// site; without title the text is fetched: the tenant's content-free mode)
// becomes a notification with the tenant's icon; a click opens or focuses url.
self.addEventListener('push', (event) => {
  let msg = {};
  try {
    msg = event.data ? event.data.json() : {};
  } catch (e) {
    msg = { body: event.data.text() };
  }
  const url = typeof msg.url === 'string' && msg.url.startsWith('/') && !msg.url.startsWith('//') ? msg.url : '/';
  event.waitUntil((async () => {
    // Content-free push: only the id travelled through the push service;
    // the text comes from Pforte, with the user's own session.
    if (msg.id && !msg.title) {
      try {
        const res = await fetch('/api/announcements', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        const list = res.ok ? (await res.json()).announcements || [] : [];
        const a = list.find((x) => x.id === msg.id);
        if (a) { msg.title = a.title; msg.body = a.body; }
      } catch (e) { /* offline: show the generic notification */ }
    }
    await self.registration.showNotification(String(msg.title || CONFIG.name), {
      body: String(msg.body || ''), tag: msg.tag ? String(msg.tag) : undefined, icon: CONFIG.icon, badge: CONFIG.icon,
      data: { url, id: msg.id },
    });
    if (msg.id) await report(msg.id, 'shown');
  })());
});

// report tells Pforte a notification was shown or clicked (admin figures).
function report(id, type) {
  return fetch('/api/push/events', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: String(id), type }),
  }).catch(() => {});
}

// The browser replaced the subscription (expiry, key change): subscribe
// again with the same key; the next page visit sends it to Pforte.
self.addEventListener('pushsubscriptionchange', (event) => {
  const options = event.oldSubscription && event.oldSubscription.options;
  if (!options) return;
  event.waitUntil(self.registration.pushManager.subscribe(options).catch(() => {}));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || '/', self.location.origin).href;
  const id = event.notification.data?.id;
  event.waitUntil((async () => {
    if (id) await report(id, 'clicked');
    for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
      if (client.url === url && 'focus' in client) return client.focus();
    }
    return self.clients.openWindow(url);
  })());
});
