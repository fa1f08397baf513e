// Web push: on every signed-in page, keep an existing subscription fresh
// (and follow a rotated server key); on the settings page, the consent
// switch: explain first, ask the browser only on a click. No framework, no
// inline script.
const box = document.getElementById('push');
const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
const serverKey = document.querySelector('meta[name="vapid-key"]')?.content;

function b64ToBytes(s) {
  const pad = '='.repeat((4 - (s.length % 4)) % 4);
  const raw = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(sub, key) {
  const k = sub.options && sub.options.applicationServerKey;
  if (!k) return true;
  const a = new Uint8Array(k), b = b64ToBytes(key);
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function send(method, sub) {
  const res = await fetch('/api/push/subscriptions', {
    method, credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(sub.toJSON ? sub.toJSON() : sub),
  });
  if (!res.ok) throw new Error('push: ' + res.status);
}

function show(state) {
  if (!box) return;
  const status = document.getElementById('push-status');
  status.textContent = box.dataset['msg' + state[0].toUpperCase() + state.slice(1)] || '';
  document.getElementById('push-enable').hidden = state !== 'off';
  document.getElementById('push-disable').hidden = state !== 'on';
}

async function init() {
  const key = (box && box.dataset.vapidKey) || serverKey;
  const ios = /iPad|iPhone|iPod/.test(navigator.userAgent);
  const standalone = window.matchMedia('(display-mode: standalone)').matches || navigator.standalone;
  if (box && ios && !standalone) document.getElementById('push-ios').hidden = false;
  if (!key || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    show('unsupported');
    return;
  }
  if (Notification.permission === 'denied') { show('denied'); return; }
  const reg = await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub, key)) {
    // The server's key was rotated: subscribe again with the new one.
    await sub.unsubscribe();
    sub = Notification.permission === 'granted'
      ? await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(key) })
      : null;
  }
  if (sub) {
    await send('POST', sub).catch(() => {}); // refresh on each visit
    show('on');
  } else {
    show('off');
  }
  if (!box) return;

  document.getElementById('push-enable').addEventListener('click', async () => {
    try {
      const perm = await Notification.requestPermission();
      if (perm !== 'granted') { show(perm === 'denied' ? 'denied' : 'off'); return; }
      const s = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64ToBytes(key) });
      await send('POST', s);
      show('on');
    } catch (e) { show('failed'); }
  });
  document.getElementById('push-disable').addEventListener('click', async () => {
    try {
      const s = await reg.pushManager.getSubscription();
      if (s) { await send('DELETE', s); await s.unsubscribe(); }
      show('off');
    } catch (e) { show('failed'); }
  });
}

if (box || (serverKey && csrf)) init().catch(() => show('failed'));
