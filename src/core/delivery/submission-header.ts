// A message submission agent completes what a client left out (RFC 6409 §8.2, §8.3): a
// missing Date: or Message-ID: is added at the end of the header, before it leaves for the world.
import { randomUUID } from 'node:crypto';

/** The header block's end (the offset of its empty line), or -1 when there is none. */
function headerEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0) return lf < 0 ? -1 : lf + 1;
  return lf >= 0 && lf < crlf ? lf + 1 : crlf + 2;
}

export function completeHeader(raw: Buffer, opts: { domain: string; now: number }): Buffer {
  const end = headerEnd(raw);
  if (end < 0) return raw;
  const header = raw.subarray(0, end).toString('latin1');
  const add: string[] = [];
  if (!/^date[ \t]*:/im.test(header)) add.push(`Date: ${new Date(opts.now).toUTCString().replace('GMT', '+0000')}`);
  if (!/^message-id[ \t]*:/im.test(header)) add.push(`Message-ID: <${randomUUID()}@${opts.domain}>`);
  if (add.length === 0) return raw;
  return Buffer.concat([raw.subarray(0, end), Buffer.from(`${add.join('\r\n')}\r\n`), raw.subarray(end)]);
}
