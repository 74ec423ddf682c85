// LIST-EXTENDED (RFC 5258) and LIST-STATUS (RFC 5819): selection and return options, several
// patterns, \NonExistent for a subscribed name without a folder, CHILDINFO, STATUS after LIST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
beforeAll(async () => {
  keep = await startWithUsers(['carol']);
  r = await Raw.open(keep.ports.imap);
  await r.cmd('a', 'LOGIN carol carol-pw');
  for (const n of ['Work', 'Work/Reports', 'Work/Old/2024', 'Play', 'Gone']) await r.cmd('c', `CREATE ${n}`);
  for (const n of ['Work/Reports', 'Work/Old/2024', 'Gone']) await r.cmd('s', `SUBSCRIBE ${n}`);
  await r.cmd('d', 'DELETE Gone');
  const c = await flow(keep, 'carol');
  await c.append('Play', message('one'));
  await c.append('Play', message('two'), ['\\Seen']);
  await c.logout();
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

const lines = (out: string) => out.split('\r\n').filter((l) => l.startsWith('* '));

describe('IMAP LIST-EXTENDED', () => {
  it('advertises LIST-EXTENDED and LIST-STATUS', async () => {
    const caps = await r.cmd('a', 'CAPABILITY');
    expect(caps).toMatch(/ LIST-EXTENDED[ \r]/);
    expect(caps).toMatch(/ LIST-STATUS[ \r]/);
  });

  it('lists the names any of several patterns match', async () => {
    const out = lines(await r.cmd('b', 'LIST "" (Work/% Play)'));
    expect(out).toEqual(expect.arrayContaining(['* LIST (\\HasNoChildren) "/" Work/Reports', '* LIST (\\HasNoChildren) "/" Play']));
    expect(out.some((l) => l.endsWith(' Work/Old/2024'))).toBe(false);
    expect(out.some((l) => l.endsWith(' Work/Old'))).toBe(true);
  });

  it('selects subscribed names, a deleted one as \\NonExistent', async () => {
    const out = lines(await r.cmd('c', 'LIST (SUBSCRIBED) "" *'));
    expect(out).toContain('* LIST (\\HasNoChildren \\Subscribed) "/" Work/Reports');
    expect(out).toContain('* LIST (\\NonExistent \\Subscribed) "/" Gone');
    expect(out.some((l) => l.endsWith(' Play') || l.endsWith(' Work'))).toBe(false);
  });

  it('points at subscribed descendants with CHILDINFO under RECURSIVEMATCH', async () => {
    const out = lines(await r.cmd('d', 'LIST (SUBSCRIBED RECURSIVEMATCH) "" % RETURN (CHILDREN)'));
    expect(out).toContain('* LIST (\\HasChildren) "/" Work ("CHILDINFO" ("SUBSCRIBED"))');
    expect(out.some((l) => l.endsWith(' Play'))).toBe(false);
  });

  it('marks subscribed names when asked to RETURN (SUBSCRIBED)', async () => {
    const out = lines(await r.cmd('e', 'LIST "" Work/* RETURN (SUBSCRIBED CHILDREN)'));
    expect(out).toContain('* LIST (\\HasNoChildren \\Subscribed) "/" Work/Reports');
    expect(out).toContain('* LIST (\\HasChildren \\Noselect) "/" Work/Old');
  });

  it('selects only special-use mailboxes with SPECIAL-USE', async () => {
    const out = lines(await r.cmd('f', 'LIST (SPECIAL-USE) "" *'));
    expect(out.length).toBeGreaterThanOrEqual(4);
    expect(out.every((l) => /\\(Sent|Drafts|Trash|Junk)/.test(l))).toBe(true);
  });

  it('answers BAD to unknown options and a lone RECURSIVEMATCH', async () => {
    expect(await r.cmd('g', 'LIST (FOO) "" *')).toMatch(/^g BAD/m);
    expect(await r.cmd('h', 'LIST (RECURSIVEMATCH) "" *')).toMatch(/^h BAD/m);
    expect(await r.cmd('i', 'LIST (RECURSIVEMATCH REMOTE) "" *')).toMatch(/^i BAD/m);
    expect(await r.cmd('j', 'LIST "" * RETURN (FOO)')).toMatch(/^j BAD/m);
    expect(await r.cmd('k', 'LIST "" * RETURN (STATUS (FOO))')).toMatch(/^k BAD/m);
  });
});

describe('IMAP LIST-STATUS', () => {
  it('follows each selectable mailbox with its STATUS, none for a \\Noselect one', async () => {
    const out = await r.cmd('l', 'LIST "" (Play Work/*) RETURN (STATUS (MESSAGES UNSEEN))');
    expect(out).toMatch(/\* LIST \(\\HasNoChildren\) "\/" Play\r\n\* STATUS Play \(MESSAGES 2 UNSEEN 1\)\r\n/);
    expect(out).toMatch(/\* LIST \(\\HasNoChildren\) "\/" Work\/Reports\r\n\* STATUS Work\/Reports \(MESSAGES 0 UNSEEN 0\)\r\n/);
    expect(out).not.toMatch(/\* STATUS Work\/Old /);
    expect(out).toMatch(/l OK/);
  });
});
