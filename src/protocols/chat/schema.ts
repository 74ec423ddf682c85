// Client → server frames: JSON text in, a typed message out, or a ChatError('invalid') that names
// what is wrong. Pure; no I/O (protocol/websocket.md §Client messages).
import { ChatError } from './errors.ts';

/** A client's correlation id, echoed in `sent` and `error` replies. */
export type RequestId = string | number;

export type ClientMessage =
  | { type: 'join'; room: string; since?: number; password?: string; id?: RequestId }
  | { type: 'leave'; room: string; id?: RequestId }
  | { type: 'say'; room: string; text: string; id?: RequestId }
  | { type: 'typing'; room: string; id?: RequestId }
  | { type: 'seen'; room: string; msgnum: number; id?: RequestId }
  | { type: 'page'; to: string; text: string; id?: RequestId }
  | { type: 'direct'; user: string; id?: RequestId };

export type ClientType = ClientMessage['type'];

type Field = 'string' | 'text' | 'msgnum';
interface Shape { required: Record<string, Field>; optional?: Record<string, Field> }

/** The fields of each type; anything else in a frame is ignored. */
const SHAPES: Record<ClientType, Shape> = {
  join: { required: { room: 'string' }, optional: { since: 'msgnum', password: 'string' } },
  leave: { required: { room: 'string' } },
  say: { required: { room: 'string', text: 'text' } },
  typing: { required: { room: 'string' } },
  seen: { required: { room: 'string', msgnum: 'msgnum' } },
  page: { required: { to: 'string', text: 'text' } },
  direct: { required: { user: 'string' } },
};

const MAX_NAME = 100;
const MAX_ID = 64;

const isType = (t: unknown): t is ClientType => typeof t === 'string' && Object.hasOwn(SHAPES, t);

function checkField(name: string, kind: Field, v: unknown): void {
  if (kind === 'msgnum') {
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new ChatError('invalid', `'${name}' must be a message number.`);
    return;
  }
  if (typeof v !== 'string') throw new ChatError('invalid', `'${name}' must be a string.`);
  if (kind === 'string' && (v.trim() === '' || v.length > MAX_NAME)) throw new ChatError('invalid', `'${name}' must be 1 to ${MAX_NAME} characters.`);
}

/** The correlation id of a frame, if it has a usable one (for error replies to bad frames). */
export function idOf(frame: unknown): RequestId | undefined {
  if (typeof frame !== 'object' || frame === null) return undefined;
  const id = (frame as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'string' && id.length <= MAX_ID) return id;
  return undefined;
}

/** Parse one frame. Binary frames, malformed JSON, unknown types and bad fields are refused. */
export function parseFrame(data: string, isBinary: boolean): ClientMessage {
  if (isBinary) throw new ChatError('invalid', 'Frames must be JSON text.');
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    throw new ChatError('invalid', 'Malformed JSON.');
  }
  return validate(frame);
}

/** Check a decoded frame against its type's shape and keep only the known fields. */
export function validate(frame: unknown): ClientMessage {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new ChatError('invalid', 'A frame must be a JSON object.');
  const f = frame as Record<string, unknown>;
  if (typeof f.type !== 'string') throw new ChatError('invalid', "A frame needs a 'type'.");
  if (!isType(f.type)) throw new ChatError('invalid', `Unknown type '${f.type.slice(0, 40)}'.`);
  const shape = SHAPES[f.type];
  const out: Record<string, unknown> = { type: f.type };
  for (const [name, kind] of Object.entries(shape.required)) {
    if (f[name] === undefined) throw new ChatError('invalid', `'${f.type}' needs '${name}'.`);
    checkField(name, kind, f[name]);
    out[name] = f[name];
  }
  for (const [name, kind] of Object.entries(shape.optional ?? {})) {
    if (f[name] === undefined || f[name] === null) continue;
    checkField(name, kind, f[name]);
    out[name] = f[name];
  }
  const id = idOf(f);
  if (id !== undefined) out.id = id;
  return out as ClientMessage;
}
