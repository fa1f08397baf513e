// Fresh data on the dashboard: when the page becomes visible again and its
// data is older than the server's cache time, reload it quietly (only when
// online, at the top of the page and with no form field in use, so nothing
// the user is doing is lost). The "Aktualisieren" link works without script.
const asof = document.querySelector('[data-asof]');
if (asof) {
  const ttl = Number(asof.dataset.ttl || 60) * 1000;
  const stale = () => Date.now() - Date.parse(asof.getAttribute('datetime')) > ttl;
  const busy = () => window.scrollY > 0 || document.activeElement?.matches('input, textarea, select');
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine && stale() && !busy()) location.reload();
  });
}
