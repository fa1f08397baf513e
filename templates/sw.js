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
    case 'read':
      // The page showed the announcements: their notifications are read.
      event.waitUntil(self.registration.getNotifications()
        .then((ns) => ns.forEach((n) => n.close())).then(() => updateBadge(0)));
      break;
    case 'badge':
      if (event.ports[0]) event.ports[0].postMessage({ badge: lastBadge, api: 'setAppBadge' in self.navigator });
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

// Web push. The message is Declarative Web Push JSON ({"web_push": 8030,
// "notification": {title, body, navigate, lang, tag, data: {id, url,
// content_free}}, "app_badge": n, "mutable": true}), which Safari shows by
// itself and every other browser hands to this handler; the older flat form
// {id, title, body, url, tag} is still read. navigate/url must be on this
// site. Content-free: the title is neutral and the text is fetched from
// Pforte with the user's own session. Meeting reminders (tag "rem-…") carry
// actions [{action, title, navigate}] ("Beitreten", "Kalender") whose
// links lead off this site (the meeting, the web calendar): only http(s)
// links are kept, since they come from calendar data.
self.addEventListener('push', (event) => {
  let msg = {};
  try {
    msg = event.data ? event.data.json() : {};
  } catch (e) {
    msg = { body: event.data.text() };
  }
  msg = flatPush(msg);
  const url = sitePath(msg.url);
  const reminder = typeof msg.tag === 'string' && msg.tag.startsWith('rem-');
  event.waitUntil((async () => {
    if (reminder && msg.contentFree) {
      await fillReminder(msg);
    } else if (msg.id && (!msg.title || msg.contentFree)) {
      try {
        const res = await fetch('/api/announcements', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        const list = res.ok ? (await res.json()).announcements || [] : [];
        const a = list.find((x) => x.id === msg.id);
        if (a) { msg.title = a.title; msg.body = a.body; }
      } catch (e) { /* offline: show the neutral notification */ }
    }
    const options = {
      body: String(msg.body || ''), tag: msg.tag ? String(msg.tag) : undefined, icon: CONFIG.icon, badge: CONFIG.icon,
      lang: msg.lang || undefined, data: { url, id: msg.id },
    };
    if (reminder) Object.assign(options, reminderOptions(msg));
    await self.registration.showNotification(String(msg.title || CONFIG.name), options);
    await updateBadge(msg.badge);
    if (msg.id && !reminder) await report(msg.id, 'shown');
  })());
});

// flatPush reads both message forms into one shape.
function flatPush(m) {
  if (!m || m.web_push !== 8030 || !m.notification) return m || {};
  const n = m.notification;
  const d = n.data && typeof n.data === 'object' ? n.data : {};
  return {
    id: d.id, title: n.title, body: n.body, tag: n.tag, lang: n.lang, contentFree: !!d.content_free,
    url: d.url || n.navigate, badge: m.app_badge,
    navigate: n.navigate, actions: Array.isArray(n.actions) ? n.actions : [], contentURL: d.content_url, start: d.start,
  };
}

// reminderOptions: the buttons, and each button's link, kept in data
// (a notification keeps no links of its own). Actions without a web link
// are dropped.
function reminderOptions(msg) {
  const actions = [];
  const links = {};
  for (const a of msg.actions || []) {
    const href = webURL(a && a.navigate);
    if (!href || typeof a.action !== 'string' || typeof a.title !== 'string' || links[a.action]) continue;
    actions.push({ action: a.action, title: a.title });
    links[a.action] = href;
  }
  return { actions, data: { url: sitePath(msg.url), links, navigate: webURL(msg.navigate) } };
}

// fillReminder: a content-free reminder names no meeting; the text (and
// the links) come from Pforte with the user's own session: from
// data.content_url (same site) when set, else the meeting whose start is
// data.start in /api/dashboard. Offline or not found: a neutral text, and
// the notification opens the dashboard.
async function fillReminder(msg) {
  const en = String(msg.lang || '').startsWith('en');
  const path = typeof msg.contentURL === 'string' ? sitePath(msg.contentURL) : '/';
  try {
    if (path !== '/') {
      const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (res.ok) {
        const r = await res.json();
        if (typeof r.title === 'string' && r.title) msg.title = r.title;
        if (typeof r.body === 'string') msg.body = r.body;
        if (typeof r.navigate === 'string') msg.navigate = r.navigate;
        if (Array.isArray(r.actions)) msg.actions = r.actions;
        return;
      }
    } else if (typeof msg.start === 'string' && msg.start) {
      const res = await fetch('/api/dashboard', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const events = res.ok ? ((await res.json()).calendar || {}).events || [] : [];
      const at = Date.parse(msg.start);
      const e = events.find((x) => x && typeof x.title === 'string' && Date.parse(x.start) === at);
      if (e) {
        const time = new Date(at).toLocaleTimeString(en ? 'en-GB' : 'de-DE', { hour: '2-digit', minute: '2-digit' });
        msg.body = e.title + ' · ' + time + (en ? '' : ' Uhr');
        msg.actions = [];
        if (webURL(e.join_url)) {
          msg.navigate = e.join_url;
          msg.actions.push({ action: 'join', title: en ? 'Join' : 'Beitreten', navigate: e.join_url });
        }
        if (webURL(e.url)) msg.actions.push({ action: 'calendar', title: en ? 'Calendar' : 'Kalender', navigate: e.url });
        return;
      }
    }
  } catch (e) { /* offline: the neutral text below */ }
  msg.body = en ? 'Meeting starting soon' : 'Besprechung beginnt bald';
}

// webURL keeps only absolute http(s) links (calendar data is untrusted:
// no javascript:, data: or other schemes).
function webURL(u) {
  if (typeof u !== 'string') return '';
  try {
    const parsed = new URL(u);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return parsed.href;
  } catch (e) { /* not a URL */ }
  return '';
}

// sitePath keeps only links to this site: a path, or a URL of this origin.
function sitePath(u) {
  if (typeof u !== 'string') return '/';
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  try {
    const parsed = new URL(u);
    if (parsed.origin === self.location.origin) return parsed.pathname + parsed.search + parsed.hash;
  } catch (e) { /* not a URL */ }
  return '/';
}

// The app badge (Badging API, where the platform has it) counts the
// announcement notifications not yet opened or dismissed: at least what
// the push said. lastBadge answers the 'badge' message (tests, the page).
let lastBadge = 0;
async function updateBadge(atLeast) {
  const open = (await self.registration.getNotifications()).length;
  const n = Math.max(open, Number.isInteger(atLeast) ? atLeast : 0);
  lastBadge = n;
  if (!('setAppBadge' in self.navigator)) return;
  try {
    if (n > 0) await self.navigator.setAppBadge(n);
    else await self.navigator.clearAppBadge();
  } catch (e) { /* not installed, or not allowed: no badge */ }
}

self.addEventListener('notificationclose', (event) => {
  event.waitUntil(updateBadge(0));
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
  event.waitUntil(openNotification(event.notification, event.action));
});

// openNotification opens (or focuses) where a click on notification, or
// on its button action, leads.
async function openNotification(notification, action) {
  const data = notification.data || {};
  const url = clickTarget(data, action);
  await updateBadge(0);
  if (data.id && !data.links) await report(data.id, 'clicked');
  for (const client of await self.clients.matchAll({ type: 'window', includeUncontrolled: true })) {
    if (client.url === url && 'focus' in client) return client.focus();
  }
  return self.clients.openWindow(url);
}

// clickTarget is where a click goes. An action button opens its own link
// ("Beitreten": the meeting, "Kalender": the web calendar). A click on the
// notification itself opens its page on this site (for a reminder: the
// dashboard), except where the platform shows no action buttons
// (Notification.maxActions is 0): then a reminder's click opens its
// navigate link, the join link, since there is no other way in.
function clickTarget(data, action) {
  const links = data.links || {};
  if (action && links[action]) return links[action];
  const buttons = typeof Notification !== 'undefined' && Notification.maxActions > 0;
  if (data.navigate && !buttons) return data.navigate;
  return new URL(sitePath(data.url), self.location.origin).href;
}
