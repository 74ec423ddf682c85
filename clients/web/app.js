// Keep web client: log in, rooms with unread counts, live chat with history, who is online,
// instant messages (pages) and direct chats. Speaks only the HTTP API and /ws.
import { api, ApiError } from './api.js';
import { Connection } from './connection.js';
import { $, el, toast } from './ui.js';


const TYPING_SEND_EVERY_MS = 3000;
const TYPING_SHOW_MS = 4000;
const SEEN_DEBOUNCE_MS = 1000;
const ROOMS_REFRESH_MS = 60000;
const MAX_SHOWN = 500;

const state = {
  me: null,
  current: null, // the room shown, by its server name
  rooms: [],
  unread: new Map(), // room name (lower case) → unread count
  who: [],
  typing: new Map(), // name → timer
  lastTypingSent: 0,
  seenTimer: null,
  roomsTimer: null,
  pageTo: null,
};

const conn = new Connection({ onFrame, onState });

// ---- log in and out ----

async function boot() {
  try {
    const { user } = await api.me();
    enter(user);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.error(err);
    showLogin();
  }
}

function showLogin(message) {
  conn.stop();
  clearInterval(state.roomsTimer);
  $('chat-view').hidden = true;
  $('login-view').hidden = false;
  $('login-error').hidden = !message;
  $('login-error').textContent = message || '';
  $('login-user').focus();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const button = ev.target.querySelector('button');
  button.disabled = true;
  try {
    const { user } = await api.login($('login-user').value.trim(), $('login-password').value);
    $('login-password').value = '';
    enter(user);
  } catch (err) {
    $('login-error').hidden = false;
    $('login-error').textContent = err.status === 401 ? 'Wrong user name or password.' : err.message;
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  conn.stop();
  await api.logout().catch((err) => console.error('logout failed', err));
  state.current = null;
  conn.rooms.clear();
  $('messages').replaceChildren();
  showLogin();
});

function enter(user) {
  state.me = user;
  $('me').textContent = user.name;
  $('login-view').hidden = true;
  $('chat-view').hidden = false;
  conn.start();
  refreshRooms();
  clearInterval(state.roomsTimer);
  state.roomsTimer = setInterval(refreshRooms, ROOMS_REFRESH_MS);
}

// ---- connection state ----

function onState(s, detail) {
  const status = $('conn-status');
  if (s === 'open') {
    status.textContent = 'online';
    status.className = 'status ok';
    setComposer(Boolean(state.current));
    return;
  }
  if (s === 'ended') {
    showLogin(detail === 'session expired' ? 'Your session expired; please log in again.' : 'You have been logged out.');
    return;
  }
  status.textContent = `reconnecting in ${Math.ceil(detail.retryInMs / 1000)} s…`;
  status.className = 'status down';
  setComposer(false);
  // a refused upgrade looks like a dropped line; ask the API whether the session still exists
  api.me().catch((err) => {
    if (err instanceof ApiError && err.status === 401) showLogin('Your session ended; please log in again.');
  });
}

// ---- rooms ----

async function refreshRooms() {
  try {
    const { rooms } = await api.rooms();
    state.rooms = rooms;
    for (const r of rooms) {
      const key = r.name.toLowerCase();
      if (key !== state.current?.toLowerCase()) state.unread.set(key, r.unread);
    }
    renderRooms();
    if (!state.current) {
      const lobby = rooms.find((r) => r.kind !== 'direct');
      if (lobby) openRoom(lobby.name);
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin('Your session ended; please log in again.');
    else console.error('could not load rooms', err);
  }
}

function roomButton(name, label) {
  const li = el('li');
  const b = el('button');
  b.type = 'button';
  b.dataset.room = name;
  b.append(el('span', 'name', label));
  const n = state.unread.get(name.toLowerCase()) || 0;
  if (n > 0) {
    const badge = el('span', 'badge', String(n));
    badge.setAttribute('aria-label', `${n} unread`);
    b.append(badge);
  }
  if (state.current && state.current.toLowerCase() === name.toLowerCase()) b.setAttribute('aria-current', 'true');
  b.addEventListener('click', () => openRoom(name));
  li.append(b);
  return li;
}

function renderRooms() {
  const rooms = state.rooms.filter((r) => r.kind !== 'direct');
  const directs = state.rooms.filter((r) => r.kind === 'direct');
  $('room-list').replaceChildren(...rooms.map((r) => roomButton(r.name, r.name)));
  $('direct-list').replaceChildren(...directs.map((r) => roomButton(r.name, directLabel(r.name))));
  if (directs.length === 0) $('direct-list').append(el('li', 'muted hint', 'Start one from the online list.'));
}

/** "alice+bob" is shown to alice as "bob". */
function directLabel(name) {
  const others = name.split('+').filter((n) => n.toLowerCase() !== state.me?.name.toLowerCase());
  return others.join(', ') || name;
}

function openRoom(name) {
  if (state.current && state.current.toLowerCase() !== name.toLowerCase()) conn.leave(state.current);
  state.current = name;
  state.unread.set(name.toLowerCase(), 0);
  const r = state.rooms.find((x) => x.name.toLowerCase() === name.toLowerCase());
  $('room-title').textContent = r && r.kind === 'direct' ? `Direct: ${directLabel(r.name)}` : name;
  $('messages').replaceChildren();
  $('typing').textContent = '';
  conn.join(name);
  renderRooms();
  closeDrawer();
  setComposer(true);
  $('say').focus();
}

// ---- frames from the server ----

/** One-shot listeners for the reply to a request (matched by its id). */
const waiting = [];
function waitFor(pred, fn) {
  waiting.push({ pred, fn });
}

function onFrame(f) {
  const w = waiting.findIndex((x) => x.pred(f));
  if (w >= 0) {
    waiting.splice(w, 1)[0].fn(f);
    if (f.type === 'error') return; // the requester shows it where it was asked
  }
  switch (f.type) {
    case 'hello': state.me = f.user; $('me').textContent = f.user.name; break;
    case 'history': onHistory(f); break;
    case 'message': onMessage(f); break;
    case 'typing': onTyping(f); break;
    case 'presence': state.who = f.users; renderWho(); break;
    case 'page': showPage(f); break;
    case 'direct': refreshRooms(); break;
    case 'sent': case 'left': break;
    case 'error': onError(f); break;
    default: console.warn('unknown frame', f);
  }
}

function isCurrent(room) {
  return state.current && room.toLowerCase() === state.current.toLowerCase();
}

function onHistory(f) {
  if (!isCurrent(f.room)) return;
  state.current = f.room;
  if (!f.isResume) $('messages').replaceChildren();
  const last = conn.lastSeen(f.room);
  for (const m of f.messages) if (last === null || m.msgnum > last) appendMessage(m);
  if (f.isTruncated) appendSystem('Some lines were skipped while you were away; reload the room to see them all.');
  $('room-members').textContent = f.members.length ? `here: ${f.members.join(', ')}` : '';
  scrollDown(true);
  markSeen();
}

function onMessage(f) {
  if (!isCurrent(f.room)) {
    const key = f.room.toLowerCase();
    state.unread.set(key, (state.unread.get(key) || 0) + 1);
    if (!state.rooms.some((r) => r.name.toLowerCase() === key)) refreshRooms();
    else renderRooms();
    const isDirect = state.rooms.some((r) => r.name.toLowerCase() === key && r.kind === 'direct');
    if (f.from !== state.me?.name && isDirect) toast(`${f.from} (direct)`, f.text, () => openRoom(f.room));
    return;
  }
  const last = conn.lastSeen(f.room);
  if (last !== null && f.msgnum <= last) return; // already shown
  const stick = isNearBottom();
  appendMessage(f);
  clearTyping(f.from);
  scrollDown(stick);
  markSeen();
}

function appendMessage(m) {
  const list = $('messages');
  const li = el('li', m.from === state.me?.name ? 'msg mine' : 'msg');
  li.dataset.msgnum = String(m.msgnum);
  const meta = el('div', 'meta');
  meta.append(el('span', 'from', m.from));
  const t = new Date(m.time);
  const time = el('time', '', t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  time.dateTime = t.toISOString();
  meta.append(time);
  li.append(meta, el('div', 'text', m.text));
  list.append(li);
  while (list.childElementCount > MAX_SHOWN) list.firstElementChild.remove();
  conn.saw(state.current, m.msgnum);
}

function appendSystem(text) {
  $('messages').append(el('li', 'msg system', text));
}

function onError(f) {
  if (f.code === 'not-found' && state.current && /room/i.test(f.message)) {
    appendSystem(f.message);
    setComposer(false);
    return;
  }
  toast('Not done', f.message);
}

function isNearBottom() {
  const m = $('messages');
  return m.scrollHeight - m.scrollTop - m.clientHeight < 80;
}

function scrollDown(force) {
  const m = $('messages');
  if (force) m.scrollTop = m.scrollHeight;
}

function markSeen() {
  clearTimeout(state.seenTimer);
  state.seenTimer = setTimeout(() => {
    const last = state.current && conn.lastSeen(state.current);
    if (last && document.visibilityState === 'visible') conn.send({ type: 'seen', room: state.current, msgnum: last });
  }, SEEN_DEBOUNCE_MS);
}
document.addEventListener('visibilitychange', markSeen);

// ---- typing ----

function onTyping(f) {
  if (!isCurrent(f.room) || f.name === state.me?.name) return;
  clearTimeout(state.typing.get(f.name));
  state.typing.set(f.name, setTimeout(() => clearTyping(f.name), TYPING_SHOW_MS));
  renderTyping();
}

function clearTyping(name) {
  clearTimeout(state.typing.get(name));
  if (state.typing.delete(name)) renderTyping();
}

function renderTyping() {
  const names = [...state.typing.keys()];
  $('typing').textContent = names.length === 0 ? '' : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

// ---- composer ----

function setComposer(isOn) {
  const on = isOn && Boolean(state.current);
  $('say').disabled = !on;
  $('say-button').disabled = !on;
}

$('say').addEventListener('input', () => {
  const now = Date.now();
  if (!state.current || $('say').value === '' || now - state.lastTypingSent < TYPING_SEND_EVERY_MS) return;
  state.lastTypingSent = now;
  conn.send({ type: 'typing', room: state.current });
});

$('composer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('say').value.trim();
  if (!text || !state.current) return;
  if (conn.send({ type: 'say', room: state.current, text })) {
    $('say').value = '';
    state.lastTypingSent = 0;
  } else toast('Not sent', 'The connection is down; your line is still in the box.');
});

// ---- who is online, pages, direct chats ----

function renderWho() {
  $('who-count').textContent = `(${state.who.length})`;
  $('who-list').replaceChildren(...state.who.map((u) => {
    const li = el('li');
    li.append(el('span', 'name', u.name));
    li.append(el('span', 'via', u.via.join(', ')));
    if (u.name !== state.me?.name) {
      const actions = el('span', 'actions');
      const page = el('button', '', 'Page');
      page.type = 'button';
      page.setAttribute('aria-label', `Page ${u.name}`);
      page.addEventListener('click', () => openPageDialog(u.name));
      const chat = el('button', '', 'Chat');
      chat.type = 'button';
      chat.setAttribute('aria-label', `Direct chat with ${u.name}`);
      chat.addEventListener('click', () => startDirect(u.name));
      actions.append(page, chat);
      li.append(actions);
    }
    return li;
  }));
}

function startDirect(user) {
  const id = `d${Date.now()}`;
  waitFor((f) => f.id === id, (f) => {
    if (f.type === 'direct') refreshRooms().then(() => openRoom(f.room));
  });
  conn.send({ type: 'direct', user, id });
}

function openPageDialog(to) {
  state.pageTo = to;
  $('page-to').textContent = to;
  $('page-text').value = '';
  $('page-error').hidden = true;
  $('page-dialog').showModal();
  $('page-text').focus();
}

$('page-cancel').addEventListener('click', () => $('page-dialog').close());
$('page-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const text = $('page-text').value.trim();
  if (!text) return;
  const id = `p${Date.now()}`;
  waitFor((f) => f.id === id, (f) => {
    if (f.type === 'error') {
      $('page-error').hidden = false;
      $('page-error').textContent = f.message;
      return;
    }
    $('page-dialog').close();
    toast(`Page sent to ${state.pageTo}`, text);
  });
  conn.send({ type: 'page', to: state.pageTo, text, id });
});
$('page-text').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey) {
    ev.preventDefault();
    $('page-form').requestSubmit();
  }
});

function showPage(p) {
  toast(`Page from ${p.from}${p.isBroadcast ? ' (broadcast)' : ''}`, p.text, p.isBroadcast ? null : () => openPageDialog(p.from), 'Reply');
  if (document.visibilityState !== 'visible') document.title = `✉ ${p.from} — Keep chat`;
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') document.title = 'Keep chat';
});

// ---- phone-width drawer and keyboard ----

function closeDrawer() {
  $('sidebar').classList.remove('open');
  $('menu-toggle').setAttribute('aria-expanded', 'false');
}

$('menu-toggle').addEventListener('click', () => {
  const open = $('sidebar').classList.toggle('open');
  $('menu-toggle').setAttribute('aria-expanded', String(open));
});

document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') closeDrawer();
  // Alt+↑ / Alt+↓ move between rooms
  if (ev.altKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') && state.rooms.length) {
    ev.preventDefault();
    const i = state.rooms.findIndex((r) => state.current && r.name.toLowerCase() === state.current.toLowerCase());
    const next = state.rooms[(i + (ev.key === 'ArrowDown' ? 1 : -1) + state.rooms.length) % state.rooms.length];
    openRoom(next.name);
  }
});

boot();
