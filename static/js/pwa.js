// Installs the service worker (/sw.js) and shows its two banners: offline
// (with the dashboard's "as of" time) and "new version available". The
// texts are in the page (templates/partials/pwa_banners.html); this module
// only shows and hides them. Without JavaScript the site works the same,
// just without offline copies.
const sw = navigator.serviceWorker;
const offlineBanner = document.getElementById('pwa-offline');
const updateBanner = document.getElementById('pwa-update');

function showOffline(on) {
  if (!offlineBanner) return;
  const asof = document.querySelector('time[data-asof]');
  const slot = offlineBanner.querySelector('[data-pwa-asof]');
  if (asof && slot) {
    const t = slot.querySelector('time');
    t.textContent = asof.textContent;
    t.dateTime = asof.dateTime;
    slot.hidden = false;
  }
  offlineBanner.hidden = !on;
}

function offerUpdate(reg) {
  if (!updateBanner || !reg.waiting || !sw.controller || !updateBanner.hidden) return;
  updateBanner.hidden = false;
  updateBanner.querySelector('button').addEventListener('click', () => {
    sw.addEventListener('controllerchange', () => location.reload(), { once: true });
    reg.waiting.postMessage({ type: 'skip-waiting' });
  }, { once: true });
}

function watchUpdates(reg) {
  offerUpdate(reg);
  reg.addEventListener('updatefound', () => {
    const next = reg.installing;
    if (!next) return;
    next.addEventListener('statechange', () => {
      if (next.state === 'installed') offerUpdate(reg);
    });
  });
}

// Offline, signing out cannot reach the server: drop this user's copies
// here, remember to end the session once online, and show the offline
// page saying so. The browser's own error page would keep the data.
async function logoutOffline() {
  localStorage.setItem(PENDING_LOGOUT, '1');
  for (const name of await caches.keys()) {
    if (name.startsWith('pforte-user-')) await caches.delete(name);
  }
  location.href = '/offline?signedout=1';
}

// Offline the language switch would lead nowhere: it is disabled, and the
// offline banner says why.
function langSwitch(online) {
  for (const a of document.querySelectorAll('a.lang-switch')) {
    if (online) a.removeAttribute('aria-disabled'); else a.setAttribute('aria-disabled', 'true');
  }
  const hint = document.querySelector('[data-pwa-langhint]');
  if (hint) hint.hidden = online;
}

const PENDING_LOGOUT = 'pforte-logout-pending';

async function start() {
  // Signing out drops this user's copies at once (the server also sends
  // Clear-Site-Data, and the worker drops them on the next signed-out page).
  const logoutForm = document.querySelector('form[action="/logout"]');
  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    form.addEventListener('submit', (event) => {
      if (!navigator.onLine) {
        event.preventDefault();
        logoutOffline().catch(() => {});
        return;
      }
      sw.controller?.postMessage({ type: 'logout' });
    });
  }
  // A sign-out made offline ends the session as soon as a signed-in page loads online.
  if (localStorage.getItem(PENDING_LOGOUT) && navigator.onLine) {
    if (logoutForm) logoutForm.requestSubmit();
    // A signed-out page from the server (not the offline page): done.
    else if (!document.querySelector('[data-signedout]')) localStorage.removeItem(PENDING_LOGOUT);
  }
  if (new URLSearchParams(location.search).has('signedout')) {
    for (const el of document.querySelectorAll('[data-signedout]')) el.hidden = false;
  }
  document.addEventListener('click', (event) => {
    if (event.target.closest?.('a.lang-switch[aria-disabled="true"]')) event.preventDefault();
  });
  window.addEventListener('offline', () => { showOffline(true); langSwitch(false); });
  window.addEventListener('online', () => { showOffline(false); langSwitch(true); });
  if (!navigator.onLine) { showOffline(true); langSwitch(false); }

  const signedIn = document.querySelector('form[action="/logout"]') !== null;
  const registered = sw.register('/sw.js', { scope: '/' });
  sw.addEventListener('message', (event) => {
    if (event.data?.type !== 'status') return;
    if (event.data.offline) {
      showOffline(true);
    } else if (navigator.onLine) {
      // Served from the network: look for a new version (the browser itself checks once a day).
      registered.then((reg) => reg.update()).catch(() => {});
    }
  });
  sw.startMessages();
  // Tell the worker about this page whenever one controls it; a page it did
  // not serve itself (the first visit) it then fetches once more to keep.
  const hello = () => sw.controller?.postMessage({ type: 'hello', signedIn, lang: document.documentElement.lang });
  sw.addEventListener('controllerchange', hello);
  hello();
  const reg = await registered;
  // A page that lists announcements has shown them: their notifications
  // and the app badge (Badging API) are cleared.
  if (signedIn && document.querySelector('[data-announcements], form[action="/announcements"]')) {
    (sw.controller || reg.active)?.postMessage({ type: 'read' });
    if ('clearAppBadge' in navigator) navigator.clearAppBadge().catch(() => {});
  }
  // Loaded while the worker was activating: it missed this page, so ask it to take it.
  if (!sw.controller && reg.active) reg.active.postMessage({ type: 'claim' });
  watchUpdates(reg);
}

if (sw && window.isSecureContext) start().catch(() => {});
