// Live preview on the announcement form: the server renders the Markdown
// (sanitized, exactly as employees will see it) a moment after typing stops.
const body = document.querySelector('[data-preview-source]');
const out = document.querySelector('[data-preview]');
const csrf = document.querySelector('meta[name="csrf-token"]');

async function preview() {
  const form = new FormData();
  form.set('body', body.value);
  const res = await fetch('/admin/announcements/preview', {
    method: 'POST',
    body: new URLSearchParams(form),
    credentials: 'same-origin',
    headers: { 'X-CSRF-Token': csrf ? csrf.content : '' },
  });
  if (res.ok) out.innerHTML = await res.text();
}

if (body && out) {
  let timer = 0;
  body.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => preview().catch(() => {}), 250);
  });
  preview().catch(() => {});
}
