// QRESYNC (RFC 7162 §3.2): ENABLE, SELECT (QRESYNC …) with VANISHED (EARLIER) and changed
// flags, known-UID limits, UID FETCH (CHANGEDSINCE … VANISHED), VANISHED instead of EXPUNGE,
// [CLOSED] when switching mailboxes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let uids: number[] = [];
let uidValidity = 0;
let before = 0;
const num = (re: RegExp, s: string) => Number(re.exec(s)?.[1] ?? NaN);

beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  const c = await flow(keep, 'alice');
  for (const s of ['one', 'two', 'three', 'four']) await c.append('INBOX', message(s));
  await c.logout();
  const r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
  const sel = await r.cmd('b', 'SELECT INBOX');
  uidValidity = num(/\[UIDVALIDITY (\d+)\]/, sel);
  before = num(/\[HIGHESTMODSEQ (\d+)\]/, sel);
  uids = /\* SEARCH ([\d ]+)/.exec(await r.cmd('c', 'UID SEARCH ALL'))![1]!.split(' ').map(Number);
  // changes after `before`: message 2 expunged, message 1 flagged
  await r.cmd('d', 'STORE 2 +FLAGS.SILENT (\\Deleted)');
  await r.cmd('e', 'EXPUNGE');
  await r.cmd('f', 'STORE 1 +FLAGS.SILENT (\\Flagged)');
  r.close();
});
afterAll(async () => { await keep?.stop(); });

describe('IMAP QRESYNC', () => {
  it('resynchronises on SELECT: what vanished and what changed since a mod-sequence', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    expect(await r.cmd('b', `SELECT INBOX (QRESYNC (${uidValidity} ${before}))`)).toMatch(/^b BAD QRESYNC must be enabled first/m);
    expect(await r.cmd('c', 'ENABLE QRESYNC')).toContain('* ENABLED QRESYNC\r\n');
    const sel = await r.cmd('d', `SELECT INBOX (QRESYNC (${uidValidity} ${before}))`);
    expect(sel).toContain(`* VANISHED (EARLIER) ${uids[1]}\r\n`);
    expect(sel).toMatch(new RegExp(`\\* 1 FETCH \\(UID ${uids[0]} FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)\\r\\n`));
    expect(sel).not.toContain(`UID ${uids[2]} `);
    const limited = await r.cmd('e', `SELECT INBOX (QRESYNC (${uidValidity} ${before} ${uids[2]}:*))`);
    expect(limited).toContain('* OK [CLOSED]');
    expect(limited).not.toContain('VANISHED');
    const other = await r.cmd('f', `SELECT INBOX (QRESYNC (${uidValidity + 1} ${before}))`);
    expect(other).not.toContain('VANISHED');
    r.close();
  });

  it('answers UID FETCH (CHANGEDSINCE … VANISHED) and reports expunges as VANISHED', async () => {
    const r = await Raw.open(keep.ports.imap);
    await r.cmd('a', 'LOGIN alice alice-pw');
    await r.cmd('b', 'ENABLE QRESYNC');
    await r.cmd('c', 'SELECT INBOX');
    const out = await r.cmd('d', `UID FETCH 1:* (FLAGS) (CHANGEDSINCE ${before} VANISHED)`);
    expect(out).toMatch(new RegExp(`^\\* VANISHED \\(EARLIER\\) ${uids[1]}\\r\\n\\* 1 FETCH \\(UID ${uids[0]} FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)\\r\\nd OK`));
    expect(await r.cmd('e', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${before} VANISHED)`)).toMatch(/^e BAD /m);
    const c = await flow(keep, 'alice');
    await c.mailboxOpen('INBOX');
    await c.messageDelete(String(uids[3]), { uid: true });
    await c.logout();
    expect(await r.cmd('f', 'NOOP')).toBe(`* VANISHED ${uids[3]}\r\nf OK NOOP completed\r\n`);
    r.close();
  });
});
