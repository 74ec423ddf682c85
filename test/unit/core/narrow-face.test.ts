// What a translator holds is `Core`: only access-checked operations. The raw room record (with
// its password), writes inside another transaction, the audit trail's pen and unchecked
// delivery stay with core itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreFixture, type Fixture } from '../../helpers/core-fixture.ts';

let f: Fixture;
beforeAll(async () => { f = await coreFixture(); });
afterAll(async () => { await f?.close(); });

describe('Core', () => {
  it.each([
    ['rooms', 'record'], ['rooms', 'insertInTxn'], ['rooms', 'createMailboxesInTxn'], ['audit', 'recordInTxn'],
    ['users', 'insertInTxn'], ['messages', 'deliver'], ['webSessions', 'endForUserInTxn'],
  ] as const)('has no %s.%s', (module, op) => {
    expect(op in f.core[module]).toBe(false);
    expect(op in f.internals[module as keyof typeof f.internals]).toBe(true);
  });
});
