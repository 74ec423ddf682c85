// Every refusal is written to the log with the account and the address it came from (issue 17),
// on native, IMAP and NNTP alike, and a password never appears in that line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawSocket } from '../../helpers/raw-socket.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

let keep: Keep;
beforeAll(async () => {
  keep = await startKeep();
});
afterAll(async () => {
  await keep?.stop();
});

const refusal = (proto: string, cmd: string) => keep.waitForLog((l) => l.msg === 'refused' && l.proto === proto && l.cmd === cmd, 20_000);

describe('a refused command in the log', () => {
  it('native: names the command, the account, the address and the error', async () => {
    const s = await RawSocket.connect(keep.ports.native);
    try {
      await s.line();
      s.writeLine('USER admin');
      await s.line();
      s.writeLine(`PASS ${keep.adminPassword}`);
      expect(await s.line()).toMatch(/^200/);
      s.writeLine('GOTO No Such Room');
      expect(await s.line()).toMatch(/^5/);
      const l = await refusal('native', 'GOTO');
      expect(l).toMatchObject({ user: 'admin', host: '127.0.0.1' });
      expect(String(l.code)).toMatch(/^5/);
    } finally {
      s.close();
    }
  });

  it('IMAP: names the command, the account, the address and the status', async () => {
    const s = await RawSocket.connect(keep.ports.imap);
    try {
      await s.line();
      s.writeLine(`a LOGIN admin ${keep.adminPassword}`);
      await s.until((t) => /^a OK/m.test(t));
      s.writeLine('b SELECT "No Such Folder"');
      await s.until((t) => /^b NO/m.test(t));
      expect(await refusal('imap', 'SELECT')).toMatchObject({ user: 'admin', host: '127.0.0.1', status: 'NO', code: 'NONEXISTENT' });
    } finally {
      s.close();
    }
  });

  it('NNTP: names the command and the address, and never the password of a failed AUTHINFO', async () => {
    const s = await RawSocket.connect(keep.ports.nntp);
    try {
      await s.line();
      s.writeLine('AUTHINFO USER admin');
      await s.line();
      s.writeLine('AUTHINFO PASS not-the-password');
      expect(await s.line()).toMatch(/^481/);
      const l = await refusal('nntp', 'AUTHINFO PASS <redacted>');
      expect(l).toMatchObject({ host: '127.0.0.1', code: 481 });
      expect(JSON.stringify(keep.logs)).not.toContain('not-the-password');
    } finally {
      s.close();
    }
  });
});
