import { describe, expect, it } from 'vitest';
import { emailId, mailboxId, threadId } from '../../../../src/protocols/imap/object-ids.ts';
import type { Room } from '../../../../src/core/index.ts';

const OBJECTID = /^[A-Za-z0-9_-]{1,255}$/;

describe('OBJECTID values (RFC 8474)', () => {
  it('names a folder by its room number and a message by its message number', () => {
    expect(mailboxId({ roomnum: 42 } as Room)).toBe('F42');
    expect(emailId(7)).toBe('M7');
    expect(mailboxId({ roomnum: 42 } as Room)).toMatch(OBJECTID);
  });

  it('gives a message and the replies to it one THREADID', () => {
    const root = threadId({ msgnum: 1, messageId: '<root@x>', references: [] });
    expect(root).toMatch(OBJECTID);
    expect(threadId({ msgnum: 2, messageId: '<r1@x>', inReplyTo: '<root@x>', references: ['<root@x>'] })).toBe(root);
    expect(threadId({ msgnum: 3, messageId: '<r2@x>', inReplyTo: '<r1@x>', references: ['<ROOT@x>', '<r1@x>'] })).toBe(root);
    expect(threadId({ msgnum: 4, messageId: '<other@x>', references: [] })).not.toBe(root);
  });
});
