// Orderly shutdown: a connected SMTP client is told 421 and the connection closed; mail
// accepted before the stop is all there after a restart on the same store.
import { describe, expect, it } from 'vitest';
import { message, startMailKeep } from './fixture.ts';
import { RawSmtp } from './raw-smtp.ts';

describe('SMTP on shutdown', () => {
  it('says 421 to a connected client and closes', async () => {
    const k = await startMailKeep();
    let stopped = false;
    try {
      const info = await k.mx().sendMail({ envelope: { from: 'x@remote.example', to: ['bob@keep.test'] }, raw: message({ from: 'x@remote.example', to: 'bob@keep.test', subject: 'before stop' }) });
      expect(info.response).toMatch(/^250 /);
      const c = await RawSmtp.connect(k.keep.ports.smtp);
      expect((await c.cmd('EHLO client.example')).code).toBe(250);
      const goodbye = c.reply(15_000);
      const code = k.keep.stop();
      stopped = true;
      expect((await goodbye).code).toBe(421);
      expect(await c.closedByServer()).toBe(true);
      expect(await code).toBe(0);
      expect(k.mailbox('bob').length).toBe(1);
    } finally {
      if (!stopped) await k.keep.stop();
      await k.stop();
    }
  });
});
