// UIDs only ascend (RFC 3501 §2.3.1.1): each folder numbers its messages itself, so a message
// moved in, however old, gets the folder's UIDNEXT, which COPYUID reports and `UID n:*` finds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, startWithUsers } from './fixture.ts';

let keep: Keep;
let c: ImapFlow;
beforeAll(async () => {
  keep = await startWithUsers(['uma']);
  c = await flow(keep, 'uma');
});
afterAll(async () => {
  await c?.logout();
  await keep?.stop();
});

describe('IMAP UID order across MOVE', () => {
  it('gives a moved older message the target folder\'s UIDNEXT', async () => {
    const old = await c.append('INBOX', message('older'));
    const newer = await c.append('Trash', message('newer'));
    if (!old || !newer) throw new Error('APPEND failed');
    expect([old.uid, newer.uid]).toEqual([1, 1]); // each folder counts from 1
    const trash = await c.status('Trash', { uidNext: true });
    if (!trash) throw new Error('STATUS failed');
    await c.mailboxOpen('INBOX');
    const moved = await c.messageMove(String(old.uid), 'Trash', { uid: true });
    const target = moved && moved.uidMap ? moved.uidMap.get(old.uid!) : undefined;
    expect(target).toBe(trash.uidNext);
    await c.mailboxOpen('Trash');
    const found: string[] = [];
    for await (const m of c.fetch(`${trash.uidNext}:*`, { envelope: true }, { uid: true })) found.push(m.envelope!.subject!);
    expect(found).toEqual(['older']);
    const all: number[] = [];
    for await (const m of c.fetch('1:*', { uid: true })) all.push(m.uid);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });
});
