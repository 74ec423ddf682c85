// A lean WebSocket client for load generation (RFC 6455, client side, no extensions): the
// handshake, masked text frames out, and a frame scanner in. A thousand `ws` clients in one
// process spend more CPU decoding a million frames a second than the server spends sending
// them, and the bench would then measure itself; this one reads a frame's header and hands
// the payload over as a view, decoding nothing unless asked.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface LeanWs {
  /** send one text frame */
  send(text: string): void;
  /** fires on every text frame from the server: its payload is buf[start, end) (valid only during the call) */
  onText: (buf: Buffer, start: number, end: number) => void;
  readonly closed: Promise<number | undefined>;
  terminate(): void;
}

const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/** Open a WebSocket to ws://127.0.0.1:port/path with extra headers; resolves after the 101. */
export function connectLean(port: number, path: string, headers: Record<string, string>, timeoutMs = 60_000): Promise<LeanWs> {
  return new Promise((resolve, reject) => {
    // reads land in one shared buffer, each consumed before the next, so reads do not allocate:
    // with a buffer per read the chat bench's p99 was ~50 ms, with this ~35 (the server unchanged)
    const socket = net.connect({ port, host: '127.0.0.1', onread: { buffer: READ_BUFFER, callback: (n) => { onChunk(READ_BUFFER.subarray(0, n)); return true; } } });
    socket.setNoDelay(true);
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('WebSocket handshake timed out')); }, timeoutMs);
    let closeCode: number | undefined;
    let isOpen = false;
    let pending: Buffer = Buffer.alloc(0);
    const closed = new Promise<number | undefined>((r) => socket.once('close', () => r(closeCode)));
    const conn: LeanWs = {
      send(text) {
        if (!socket.destroyed) socket.write(maskedFrame(OP_TEXT, Buffer.from(text)));
      },
      onText: () => {},
      closed,
      terminate: () => socket.destroy(),
    };
    socket.on('error', (err) => {
      if (!isOpen) { clearTimeout(timer); reject(err); }
    });
    const onChunk = (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (!isOpen) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return keepRest();
        const head = pending.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          return reject(new Error(`WebSocket handshake refused: ${head.split('\r\n')[0]}`));
        }
        isOpen = true;
        clearTimeout(timer);
        pending = pending.subarray(end + 4);
        resolve(conn);
      }
      pending = scan(pending, (op, buf, start, end) => {
        if (op === OP_TEXT) conn.onText(buf, start, end);
        else if (op === OP_PING) socket.write(maskedFrame(OP_PONG, buf.subarray(start, end)));
        else if (op === OP_CLOSE) {
          closeCode = end - start >= 2 ? buf.readUInt16BE(start) : undefined;
          socket.destroy();
        }
      });
      keepRest();
    };
    /** a part-frame left in the shared read buffer would be overwritten by the next read: copy it */
    const keepRest = () => {
      if (pending.length && pending.buffer === READ_BUFFER.buffer) pending = Buffer.from(pending);
    };
    const key = randomBytes(16).toString('base64');
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
  });
}

/** Hand every complete frame in buf to onFrame; return the unconsumed rest. Server frames are unmasked. */
function scan(buf: Buffer, onFrame: (op: number, buf: Buffer, start: number, end: number) => void): Buffer {
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const op = buf[at]! & 0x0f;
    let len = buf[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      if (buf.length - at < 4) break;
      len = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (buf.length - at < 10) break;
      len = Number(buf.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (buf.length - at < head + len) break;
    onFrame(op, buf, at + head, at + head + len);
    at += head + len;
  }
  return at === buf.length ? Buffer.alloc(0) : buf.subarray(at);
}

/** A client frame: FIN, the opcode, the mask bit and a random mask applied to the payload. */
function maskedFrame(op: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + len);
  out[0] = 0x80 | op;
  if (head === 2) out[1] = 0x80 | len;
  else if (head === 4) { out[1] = 0x80 | 126; out.writeUInt16BE(len, 2); }
  else { out[1] = 0x80 | 127; out.writeBigUInt64BE(BigInt(len), 2); }
  const mask = randomBytes(4);
  mask.copy(out, head);
  for (let i = 0; i < len; i++) out[head + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return out;
}
