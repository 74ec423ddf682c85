// DOM helpers shared by the client: lookup by id, element creation (text only, never HTML, so
// nothing a user typed can become markup), and toasts for notifications.

export const $ = (id) => document.getElementById(id);

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const TOAST_MS = 15000;
const MAX_TOASTS = 4;

/** A dismissable notification, with an optional action button. */
export function toast(title, text, action, actionLabel = 'Open') {
  const t = el('div', 'toast');
  t.setAttribute('role', 'status');
  t.append(el('strong', '', title), el('div', '', text));
  const row = el('div', 'row');
  if (action) {
    const b = el('button', 'primary', actionLabel);
    b.type = 'button';
    b.addEventListener('click', () => { t.remove(); action(); });
    row.append(b);
  }
  const close = el('button', '', 'Dismiss');
  close.type = 'button';
  close.addEventListener('click', () => t.remove());
  row.append(close);
  t.append(row);
  $('toasts').append(t);
  setTimeout(() => t.remove(), TOAST_MS);
  while ($('toasts').childElementCount > MAX_TOASTS) $('toasts').firstElementChild.remove();
}

