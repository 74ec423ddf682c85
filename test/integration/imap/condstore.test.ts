// CONDSTORE (RFC 7162): HIGHESTMODSEQ on SELECT and STATUS, FETCH MODSEQ and CHANGEDSINCE,
// STORE UNCHANGEDSINCE with MODIFIED, SEARCH MODSEQ; MODSEQ in other sessions' updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
const num = (re: RegExp, s: string) => Number(re.exec(s)?.[1] ?? NaN);
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  const c = await flow(keep, 'alice');
  for (const s of ['one', 'two', 'three']) await c.append('INBOX', message(s));
  await c.logout();
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN alice alice-pw');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP CONDSTORE', () => {
  it('reports HIGHESTMODSEQ and per-message MODSEQ, and fetches only what changed since', async () => {
    expect(await r.cmd('b', 'CAPABILITY')).toContain(' CONDSTORE');
    const sel = await r.cmd('c', 'SELECT INBOX (CONDSTORE)');
    const highest = num(/\[HIGHESTMODSEQ (\d+)\]/, sel);
    expect(highest).toBeGreaterThan(0);
    const all = await r.cmd('d', 'FETCH 1:* (MODSEQ)');
    const mods = [...all.matchAll(/MODSEQ \((\d+)\)/g)].map((m) => Number(m[1]));
    expect(mods).toHaveLength(3);
    expect(Math.max(...mods)).toBeLessThanOrEqual(highest);

    const stored = await r.cmd('e', 'STORE 2 +FLAGS.SILENT (\\Flagged)');
    const after = num(/MODSEQ \((\d+)\)/, stored);
    expect(after).toBeGreaterThan(highest);
    const changed = await r.cmd('f', `FETCH 1:* (FLAGS) (CHANGEDSINCE ${highest})`);
    expect(changed).toMatch(/^\* 2 FETCH \(FLAGS \((\\Recent )?\\Flagged\) MODSEQ \(\d+\)\)\r\nf OK/);
    expect(await r.cmd('g', `SEARCH MODSEQ ${after}`)).toContain(`* SEARCH 2 (MODSEQ ${after})\r\n`);
    expect(await r.cmd('h', 'STATUS INBOX (HIGHESTMODSEQ)')).toMatch(new RegExp(`HIGHESTMODSEQ (${after}|[1-9]\\d*)\\)`));
  });

  it('refuses a conditional STORE on messages changed since, with MODIFIED', async () => {
    const m = await r.cmd('i', 'FETCH 1:3 (MODSEQ)');
    const mod1 = num(/\* 1 FETCH \(MODSEQ \((\d+)\)\)/, m);
    await r.cmd('j', 'STORE 3 +FLAGS.SILENT (\\Seen)');
    const out = await r.cmd('k', `STORE 1,3 (UNCHANGEDSINCE ${mod1}) +FLAGS (\\Answered)`);
    expect(out).toMatch(/\* 1 FETCH \(MODSEQ \(\d+\) FLAGS \((\\Recent )?\\Answered\)\)/);
    expect(out).toMatch(/k OK \[MODIFIED 3\] Conditional STORE completed/);
  });

  it('sends MODSEQ with flag changes made by another session', async () => {
    const c = await flow(keep, 'alice');
    await c.mailboxOpen('INBOX');
    await c.messageFlagsAdd('1', ['$Later']);
    await c.logout();
    // the new keyword is announced in FLAGS first (RFC 3501 §7.2.6)
    expect(await r.cmd('l', 'NOOP')).toMatch(/\* FLAGS \([^)]*\$Later\)\r\n[\s\S]*\* 1 FETCH \(UID \d+ MODSEQ \(\d+\) FLAGS \((\\Recent )?\\Answered \$Later\)\)\r\nl OK/);
  });
});
