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

async function start() {
  // Signing out drops this user's copies at once (the server also sends
  // Clear-Site-Data, and the worker drops them on the next signed-out page).
  for (const form of document.querySelectorAll('form[action="/logout"]')) {
    form.addEventListener('submit', () => sw.controller?.postMessage({ type: 'logout' }));
  }
  window.addEventListener('offline', () => showOffline(true));
  window.addEventListener('online', () => showOffline(false));
  if (!navigator.onLine) showOffline(true);

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
