// The WebSocket to /ws: reconnects with capped, jittered backoff and, after each reconnect,
// re-joins the rooms it was in from the last message number it saw, so no line is lost or
// shown twice (protocol/websocket.md §Resume).

const CLOSE_SESSION_ENDED = 4001;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15000;

export class Connection {
  /**
   * @param {object} handlers onFrame(frame), onState('open'|'down'|'ended', detail)
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.isStopped = false;
    /** room name (lower case) → { name, last } : last msgnum seen, for resuming */
    this.rooms = new Map();
  }

  start() {
    this.isStopped = false;
    this.open();
  }

  stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close(1000, 'bye');
  }

  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Join a room; a room joined before resumes from the last line seen. */
  join(name) {
    const key = name.toLowerCase();
    if (!this.rooms.has(key)) this.rooms.set(key, { name, last: null });
    this.sendJoin(this.rooms.get(key));
  }

  leave(name) {
    this.rooms.delete(name.toLowerCase());
    this.send({ type: 'leave', room: name });
  }

  /** Remember the newest line seen in a room (history or live). */
  saw(room, msgnum) {
    const r = this.rooms.get(room.toLowerCase());
    if (r && (r.last === null || msgnum > r.last)) r.last = msgnum;
  }

  lastSeen(room) {
    const r = this.rooms.get(room.toLowerCase());
    return r ? r.last : null;
  }

  sendJoin(r) {
    const frame = { type: 'join', room: r.name };
    if (r.last !== null) frame.since = r.last;
    this.send(frame);
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.handlers.onState('open');
      for (const r of this.rooms.values()) this.sendJoin(r);
    };
    ws.onmessage = (ev) => {
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch (err) {
        console.error('unreadable frame from the server', err);
        return;
      }
      this.handlers.onFrame(frame);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.isStopped) return;
      if (ev.code === CLOSE_SESSION_ENDED) {
        this.handlers.onState('ended', ev.reason);
        return;
      }
      this.retry(ev);
    };
  }

  retry(ev) {
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt += 1;
    this.handlers.onState('down', { code: ev.code, reason: ev.reason, retryInMs: delay });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
