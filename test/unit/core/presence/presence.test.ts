// core.presence: online state per user across sessions, and its events.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../../../src/core/context.ts';
import { createPresence } from '../../../../src/core/presence/presence.ts';

function fixture() {
  const events = new EventEmitter();
  const seen: { usernum: number; isOnline: boolean }[] = [];
  events.on('presence', (e: { usernum: number; isOnline: boolean }) => seen.push({ usernum: e.usernum, isOnline: e.isOnline }));
  return { presence: createPresence({ events } as unknown as Ctx), seen };
}

describe('core.presence', () => {
  it('announces a user online at the first session and offline after the last', () => {
    const { presence, seen } = fixture();
    const a = presence.open({ proto: 'web', host: 'h' });
    const b = presence.open({ proto: 'native', host: 'h' });
    a.update({ usernum: 7, name: 'alice' });
    b.update({ usernum: 7, name: 'alice' });
    expect(presence.isOnline(7)).toBe(true);
    a.close();
    expect(presence.isOnline(7)).toBe(true);
    b.close();
    b.close(); // closing twice changes nothing
    expect(presence.isOnline(7)).toBe(false);
    expect(seen).toEqual([{ usernum: 7, isOnline: true }, { usernum: 7, isOnline: false }]);
  });

  it('moves a session from one user to another, and logs it out', () => {
    const { presence, seen } = fixture();
    const a = presence.open({ proto: 'native', host: 'h' });
    a.update({ usernum: 1, name: 'one' });
    a.update({ usernum: 2, name: 'two' });
    expect(presence.isOnline(1)).toBe(false);
    expect(presence.isOnline(2)).toBe(true);
    a.update({ usernum: undefined });
    expect(presence.isOnline(2)).toBe(false);
    expect(presence.list()).toEqual([]);
    expect(seen.at(-1)).toEqual({ usernum: 2, isOnline: false });
  });

  // how fast belongs to a benchmark; this checks that every one of them is let go
  it('closes thousands of sessions', () => {
    const { presence } = fixture();
    const handles = Array.from({ length: 10_000 }, (_, i) => {
      const h = presence.open({ proto: 'web', host: 'h' });
      h.update({ usernum: i % 20, name: `u${i % 20}` });
      return h;
    });
    expect(presence.connectionCount()).toBe(10_000);
    for (const h of handles) h.close();
    expect(presence.connectionCount()).toBe(0);
  });
});
