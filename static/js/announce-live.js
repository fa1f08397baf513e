// Live announcements: listens to the server's event stream and inserts new
// announcements into the dashboard (an aria-live region), replaces edited
// ones and removes withdrawn ones. The page works without it: the server
// renders the same list.
const section = document.querySelector('[data-announcements]');
const list = section && section.querySelector('[data-ann-list]');
const none = section && section.querySelector('[data-ann-none]');
const csrf = document.querySelector('meta[name="csrf-token"]');

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text) e.textContent = text;
  return e;
}

// render builds an announcement like the server's markup. The body is HTML
// the server sanitized (Markdown through bluemonday); titles stay text.
function render(it) {
  const art = el('article', 'announcement severity-' + it.severity + (it.pinned ? ' pinned' : ''));
  art.id = 'a-' + it.id;
  art.dataset.id = it.id;
  const h = el('h3');
  const sev = section.dataset['sev' + it.severity.charAt(0).toUpperCase() + it.severity.slice(1)];
  if (it.severity !== 'info' && sev) {
    h.append(el('span', 'badge badge-' + it.severity, sev), ' ');
  }
  h.append(it.title);
  const body = el('div', 'ann-body');
  body.innerHTML = it.body_html;
  const when = el('p', 'muted');
  const t = el('time', '', new Date(it.published_at).toLocaleString(section.dataset.lang || 'de'));
  t.dateTime = it.published_at;
  when.append(t);
  art.append(h, body, when);
  if (it.requires_ack && !it.acknowledged_at) {
    const f = el('form', 'ack');
    f.method = 'post';
    f.action = '/announcements/' + encodeURIComponent(it.id) + '/ack';
    for (const [name, value] of [['_csrf', csrf ? csrf.content : ''], ['next', '/']]) {
      const i = el('input');
      i.type = 'hidden';
      i.name = name;
      i.value = value;
      f.append(i);
    }
    const b = el('button', 'button', section.dataset.ackLabel);
    b.type = 'submit';
    f.append(b);
    art.append(f);
  }
  return art;
}

function upsert(it) {
  const fresh = render(it);
  const old = document.getElementById('a-' + it.id);
  if (old) old.replaceWith(fresh);
  else list.prepend(fresh);
  none.hidden = true;
}

function remove(id) {
  const old = document.getElementById('a-' + id);
  if (old) old.remove();
  none.hidden = list.children.length > 0;
}

// catchUp fetches the current list after a reconnect: events sent while
// the stream was down are not replayed.
async function catchUp() {
  const res = await fetch('/api/announcements', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) return;
  const data = await res.json();
  const ids = new Set(data.announcements.map((a) => a.id));
  for (const child of [...list.children]) {
    if (!ids.has(child.dataset.id)) remove(child.dataset.id);
  }
  for (const a of data.announcements.slice().reverse()) {
    if (!document.getElementById('a-' + a.id)) upsert(a);
  }
}

if (list && 'EventSource' in window) {
  let opened = false;
  const es = new EventSource('/api/announcements/stream');
  es.addEventListener('open', () => {
    if (opened) catchUp().catch(() => {});
    opened = true;
  });
  es.addEventListener('announcement', (e) => upsert(JSON.parse(e.data)));
  es.addEventListener('removed', (e) => remove(JSON.parse(e.data).id));
  window.addEventListener('pagehide', () => es.close());
}
