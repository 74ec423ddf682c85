// Pre-framed text frames. A server's frames are not masked (RFC 6455 §5.1), so a line sent to
// a thousand chatters is the same bytes for each: ws's own Sender.frame builds them once and
// every receiver's socket gets that buffer, instead of ws re-framing the payload per socket.
// Safe because compression is off: ws then never queues a frame, so it only ever writes
// whole frames (close, ping) between ours.
import * as ws from 'ws';

interface FrameOptions { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }
/** ws exports Sender at run time; @types/ws does not declare it. */
const Sender = (ws as unknown as { Sender: { frame(data: Buffer, o: FrameOptions): Buffer[] } }).Sender;

const TEXT = 0x1;

/** One complete, unmasked, final text frame carrying the JSON. */
export function textFrame(json: string): Buffer {
  const parts = Sender.frame(Buffer.from(json), { fin: true, rsv1: false, opcode: TEXT, mask: false, readOnly: false });
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
