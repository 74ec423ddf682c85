// Submission over implicit TLS (465, RFC 8314 §3.3) and NNTPS (563, RFC 4642 §1) (issue 21).
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

function firstLine(socket: tls.TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('no line in 10 s')), 10_000);
    socket.on('data', (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf('\r\n');
      if (i >= 0) { clearTimeout(timer); resolve(buf.slice(0, i)); }
    });
    socket.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

describe('implicit TLS listeners', () => {
  let keep: Keep;
  beforeAll(async () => { keep = await startKeep(); }, 60_000);
  afterAll(async () => { await keep?.stop(); });

  it('takes submission with AUTH over implicit TLS on the submissions port', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1', port: keep.ports.submissions, secure: true, tls: { rejectUnauthorized: false },
      auth: { user: keep.adminUser, pass: keep.adminPassword },
    });
    try {
      const info = await transport.sendMail({ from: `admin@keep.test`, to: 'admin@keep.test', subject: 'over 465', text: 'hello' });
      expect(info.response).toMatch(/^250 /);
    } finally {
      transport.close();
    }
  });

  it('greets over TLS on the NNTPS port and offers AUTHINFO, not STARTTLS', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: keep.ports.nntps, rejectUnauthorized: false });
    try {
      expect(await firstLine(socket)).toMatch(/^200 keep\.test /);
      socket.removeAllListeners('data');
      const caps = new Promise<string>((resolve) => {
        let buf = '';
        socket.on('data', (d: Buffer) => { buf += d.toString(); if (buf.endsWith('\r\n.\r\n')) resolve(buf); });
      });
      socket.write('CAPABILITIES\r\n');
      const text = await caps;
      expect(text).toMatch(/AUTHINFO USER/);
      expect(text).not.toMatch(/STARTTLS/);
    } finally {
      socket.destroy();
    }
  });
});
