// SORT and THREAD read messages while taking turns; a message another session expunged in
// between is answered from the copy core keeps (as FETCH does), or left out, never a failed command.
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../../src/core/index.ts';
import { viewMessage } from '../../../../src/protocols/imap/commands/message-order.ts';
import type { Selected } from '../../../../src/protocols/imap/commands/types.ts';

function selected(kept: Record<number, { subject: string }>) {
  const gone = () => { throw new CoreError('not-found', 'Message was not found in this room.'); };
  return {
    box: { room: { roomnum: 3 } },
    actor: { kind: 'user', usernum: 1 },
    cache: { get: (_n: number, load: () => unknown) => ({ msg: load() }) },
    core: { messages: { get: gone, removedFrom: (_a: unknown, n: number) => (kept[n] ? { message: kept[n], raw: Buffer.alloc(0) } : undefined) } },
  } as unknown as Selected;
}

describe('a message expunged while SORT or THREAD took turns', () => {
  it('is read from the copy core keeps while it keeps one', () => {
    expect(viewMessage(selected({ 7: { subject: 'kept' } }), 7)).toEqual({ subject: 'kept' });
  });

  it('is left out (undefined) once it is gone altogether', () => {
    expect(viewMessage(selected({}), 7)).toBeUndefined();
  });
});
