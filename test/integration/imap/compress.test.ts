// COMPRESS=DEFLATE (RFC 4978): after the tagged OK both directions are raw DEFLATE; commands
// and replies (a large FETCH included) go through it; a second COMPRESS is refused.
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  const c = await flow(keep, 'alice');
  for (let i = 0; i < 30; i++) await c.append('INBOX', message(`compressed ${i}`, `${'Lorem ipsum. '.repeat(200)}\r\n`));
  await c.logout();
});
afterAll(async () => { await keep?.stop(); });

describe('IMAP COMPRESS=DEFLATE', () => {
  it('compresses both directions after the OK', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    expect(await r.cmd('b', 'CAPABILITY')).toContain('COMPRESS=DEFLATE');
    expect(await r.cmd('c', 'COMPRESS DEFLATE')).toBe('c OK DEFLATE active\r\n');
    const sock = r.sock as net.Socket;
    sock.removeAllListeners('data');
    const inflate = zlib.createInflateRaw();
    const deflate = zlib.createDeflateRaw();
    let text = '';
    let wire = 0;
    sock.on('data', (d: Buffer | string) => { const b = Buffer.isBuffer(d) ? d : Buffer.from(d, 'latin1'); wire += b.length; inflate.write(b); });
    inflate.on('data', (d: Buffer) => { text += d.toString('latin1'); });
    deflate.on('data', (d: Buffer) => sock.write(d));
    const send = (line: string) => { deflate.write(`${line}\r\n`); deflate.flush(zlib.constants.Z_SYNC_FLUSH); };
    const until = async (re: RegExp) => {
      const deadline = Date.now() + 5000;
      while (!re.test(text)) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${text.slice(-200)}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    send('d SELECT INBOX');
    await until(/d OK \[READ-WRITE\]/);
    send('e FETCH 1:* (BODY.PEEK[])');
    await until(/e OK FETCH completed/);
    expect(text.match(/\* \d+ FETCH/g)).toHaveLength(30);
    expect(wire).toBeLessThan(text.length / 5);
    send('f COMPRESS DEFLATE');
    await until(/f NO \[COMPRESSIONACTIVE\]/);
    send('g LOGOUT');
    await until(/g OK LOGOUT completed/);
    r.close();
  });
});
