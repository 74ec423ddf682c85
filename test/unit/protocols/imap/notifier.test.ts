// The NOTIFY watch (RFC 5465): a failure while watching is not the emitting call's, and after
// NOTIFICATIONOVERFLOW the session watches nothing until it sets a watch again (§5.8).
import { describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../../src/core/index.ts';
import { Events } from '../../../../src/core/events.ts';
import { Notifier } from '../../../../src/protocols/imap/notify.ts';

describe('IMAP NOTIFY watch', () => {
  it('turns a failure inside a core event into NOTIFICATIONOVERFLOW, then watches nothing', () => {
    const events = new Events();
    let isBroken = false;
    const core = {
      events,
      rooms: { listAll: () => { if (isBroken) throw new Error('store closed'); return []; } },
      subscriptions: { list: () => undefined },
    } as unknown as Core;
    const hooks = { statusLine: () => '', wireName: (n: string) => n, selectedRoom: () => undefined, isCondstore: () => false, onChange: vi.fn(), onError: vi.fn() };
    const n = new Notifier(core, { kind: 'user', usernum: 1, name: 'u', level: 3, origin: 't' } as never, { groups: [{ filter: { kind: 'personal' }, events: new Set(['MailboxName']) }], wantsStatus: false }, hooks);
    isBroken = true;
    expect(() => events.emit('room', { roomnum: 5, change: 'created' })).not.toThrow();
    expect(hooks.onError).toHaveBeenCalledOnce();
    expect(n.take()).toEqual(['* OK [NOTIFICATIONOVERFLOW] Too many changes; check the folders again\r\n']);
    isBroken = false;
    events.emit('room', { roomnum: 6, change: 'created' });
    expect(n.take()).toEqual([]);
    expect(events.listenerCount('room')).toBe(0);
  });
});
