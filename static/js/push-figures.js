// Live push figures on an announcement's admin page: while the fan-out
// runs, the figures, the progress bar and the stacked bar are refreshed
// every two seconds from /admin/announcements/:id/push.json. Without
// script the page shows the figures as of its loading.
const box = document.querySelector('[data-push-figures]');
const order = ['delivered', 'retrying', 'expired', 'gone', 'failed'];

function show(fig) {
  for (const dd of box.querySelectorAll('[data-fig]')) {
    const v = fig[dd.dataset.fig];
    if (typeof v === 'number') dd.textContent = String(v);
  }
  const bar = box.querySelector('[data-fig-progress]');
  if (bar) {
    bar.max = Math.max(1, fig.targets || 0);
    bar.value = fig.done || 0;
  }
  let x = 0;
  for (const k of order) {
    const seg = box.querySelector('[data-seg="' + k + '"]');
    if (!seg) continue;
    const w = fig.targets > 0 ? Math.floor((fig[k] || 0) * 300 / fig.targets) : 0;
    seg.setAttribute('x', String(x));
    seg.setAttribute('width', String(w));
    x += w;
  }
}

async function poll() {
  try {
    const res = await fetch(box.dataset.pushFigures, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.ok) {
      const fig = await res.json();
      show(fig);
      if ((fig.pending || 0) + (fig.retrying || 0) === 0 && fig.targets > 0) {
        setTimeout(poll, 30000); // done: only shown/clicked still change
        return;
      }
    }
  } catch (e) { /* offline: try again */ }
  setTimeout(poll, 2000);
}

if (box) setTimeout(poll, 2000);
