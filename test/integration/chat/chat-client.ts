// A small WebSocket chat client for the tests: log in over the JSON API, connect to /ws with the
// session cookie, and wait (bounded) for frames that match.
import WebSocket from 'ws';

export type Frame = { type: string } & Record<string, unknown>;

export async function login(port: number, user: string, password: string): Promise<{ status: number; cookie: string; setCookie: string; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/api/login`, {
    method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ user, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, cookie: setCookie.split(';')[0] ?? '', setCookie, body: await res.json() };
}

export class ChatClient {
  readonly frames: Frame[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      this.frames.push(f);
      for (const w of [...this.waiters]) {
        if (w.pred(f)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(f);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static async connect(port: number, cookie: string, opts: WebSocket.ClientOptions = {}): Promise<ChatClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie }, ...opts });
    const c = new ChatClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await c.next((f) => f.type === 'hello');
    return c;
  }

  /** Log in and connect in one step. */
  static async as(port: number, user: string, password: string): Promise<ChatClient> {
    const { cookie, status } = await login(port, user, password);
    if (status !== 200) throw new Error(`login of ${user} answered ${status}`);
    return ChatClient.connect(port, cookie);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received from index `from` on, or arriving within timeoutMs) that matches. */
  next(pred: (f: Frame) => boolean, timeoutMs = 30_000, from = 0): Promise<Frame> {
    const seen = this.frames.slice(from).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (f: Frame) => {
          clearTimeout(t);
          resolve(f);
        },
      };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Send a frame with an id and wait for the matching `sent`, `error` or other reply. */
  async request(frame: Record<string, unknown>, timeoutMs = 30_000): Promise<Frame> {
    const id = `r${Math.random().toString(36).slice(2)}`;
    this.send({ ...frame, id });
    return this.next((f) => f.id === id, timeoutMs);
  }

  async join(room: string, extra: Record<string, unknown> = {}): Promise<Frame> {
    return this.request({ type: 'join', room, ...extra });
  }

  messages(room: string): Frame[] {
    return this.frames.filter((f) => f.type === 'message' && f.room === room);
  }

  close(): void {
    this.ws.close();
  }
}
