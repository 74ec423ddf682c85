// Folder and selection edge cases: RENAME INBOX, DELETE of the selected folder, CLOSE expunges
// silently, UNSELECT does not, UID EXPUNGE, EXAMINE never marks seen, TRYCREATE, LIST patterns,
// SEARCH on a native text post's deterministic headers, CHECK/ID/ENABLE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { Raw, startWithUsers } from './fixture.ts';

let keep: Keep;
let r: Raw;
let tagN = 0;
const cmd = (text: string) => r.cmd(`t${++tagN}`, text);
async function append(box: string, subject: string, flags = ''): Promise<void> {
  const msg = `Subject: ${subject}\r\nFrom: a@keep.test\r\n\r\n${subject} body\r\n`;
  const out = await cmd(`APPEND ${box} ${flags ? `(${flags}) ` : ''}{${msg.length}+}\r\n${msg}`);
  expect(out).toMatch(/ OK \[APPENDUID/);
}

beforeAll(async () => {
  keep = await startWithUsers(['alice', 'bob']);
  r = await Raw.open(keep.ports.imap);
  await cmd('LOGIN alice alice-pw');
});
afterAll(async () => {
  r?.close();
  await keep?.stop();
});

describe('IMAP folder edge cases', () => {
  it('matches LIST patterns with % and * and answers the delimiter query', async () => {
    await cmd('CREATE Work/Reports');
    expect(await cmd('LIST "" ""')).toContain('* LIST (\\Noselect) "/" ""\r\n');
    const top = await cmd('LIST "" %');
    expect(top).toContain('"/" Work\r\n');
    expect(top).not.toContain('Work/Reports');
    expect(await cmd('LIST "" Work/*')).toContain('* LIST (\\HasNoChildren) "/" Work/Reports\r\n');
    expect(await cmd('LIST Work/ %')).toContain('Work/Reports');
    expect(await cmd('LIST "" inbox')).toContain('* LIST (\\HasNoChildren) "/" INBOX\r\n');
    expect(await cmd('RENAME Work Job')).toMatch(/ OK RENAME completed/);
    const after = await cmd('LIST "" Job*');
    expect(after).toContain('"/" Job/Reports\r\n');
    expect(await cmd('LIST "" Work*')).not.toContain('Work');
  });

  it('renames INBOX by moving its messages to the new folder', async () => {
    await append('INBOX', 'keep me');
    expect(await cmd('RENAME INBOX Old-Inbox')).toMatch(/ OK RENAME completed/);
    expect(await cmd('STATUS INBOX (MESSAGES)')).toContain('(MESSAGES 0)');
    expect(await cmd('STATUS Old-Inbox (MESSAGES)')).toContain('(MESSAGES 1)');
  });

  it('answers TRYCREATE for APPEND and COPY to a missing folder, NOPERM for a read-only one', async () => {
    const msg = 'Subject: x\r\n\r\nx\r\n';
    expect(await cmd(`APPEND Missing {${msg.length}+}\r\n${msg}`)).toMatch(/ NO \[TRYCREATE\]/);
    await cmd('SELECT Old-Inbox');
    expect(await cmd('COPY 1 Missing')).toMatch(/ NO \[TRYCREATE\]/);
    expect(await keep.cli(['room', 'add', 'Notices', '--read-only'])).toMatchObject({ code: 0 });
    expect(await cmd('COPY 1 Public/Notices')).toMatch(/ NO \[NOPERM\]/);
  });

  it('closes with a silent expunge, unselects without one, and expunges by UID', async () => {
    await cmd('CREATE Box');
    for (const s of ['a', 'b', 'c', 'd']) await append('Box', s, '\\Deleted');
    await cmd('SELECT Box');
    const uids = /\* SEARCH ([\d ]+)/.exec(await cmd('UID SEARCH ALL'))![1]!.split(' ');
    expect(await cmd(`UID EXPUNGE ${uids[1]}`)).toMatch(/^\* 2 EXPUNGE\r\nt\d+ OK/);
    await cmd('UNSELECT');
    expect(await cmd('STATUS Box (MESSAGES)')).toContain('(MESSAGES 3)');
    await cmd('SELECT Box');
    const closed = await cmd('CLOSE');
    expect(closed).not.toContain('EXPUNGE');
    expect(await cmd('STATUS Box (MESSAGES)')).toContain('(MESSAGES 0)');
    expect(await cmd('FETCH 1 FLAGS')).toMatch(/ BAD FETCH is not valid in this state/);
  });

  it('forgets the user\'s flags of an expunged message, so one moved back is not \\Deleted', async () => {
    await cmd('CREATE Keepers');
    await append('Keepers', 'undelete me', '\\Flagged');
    await cmd('SELECT Keepers');
    await cmd('COPY 1 Trash');
    await cmd('STORE 1 +FLAGS.SILENT (\\Deleted)');
    expect(await cmd('EXPUNGE')).toMatch(/^\* 1 EXPUNGE\r\n/);
    const n = Number(/\* (\d+) EXISTS/.exec(await cmd('SELECT Trash'))![1]);
    expect(await cmd(`MOVE ${n} Keepers`)).toMatch(/ OK MOVE completed/);
    await cmd('SELECT Keepers');
    // \Recent: this session is the first to see the message in Keepers (RFC 3501 §2.3.2)
    expect(await cmd('FETCH 1 FLAGS')).toContain('* 1 FETCH (FLAGS (\\Recent \\Flagged))');
  });

  it('leaves the selected state when its folder is deleted', async () => {
    await cmd('CREATE Doomed');
    await cmd('SELECT Doomed');
    expect(await cmd('DELETE Doomed')).toMatch(/ OK DELETE completed/);
    expect(await cmd('NOOP')).toMatch(/ OK/);
    expect(await cmd('FETCH 1 FLAGS')).toMatch(/ BAD FETCH is not valid in this state/);
    expect(await cmd('SELECT Doomed')).toMatch(/ NO \[NONEXISTENT\]/);
  });

  it('never marks messages seen through EXAMINE', async () => {
    await cmd('EXAMINE Old-Inbox');
    const out = await cmd('FETCH 1 (BODY[] FLAGS)');
    expect(out).toContain('FLAGS ()');
    expect(await cmd('STORE 1 +FLAGS (\\Seen)')).toMatch(/ NO \[READ-ONLY\]/);
    expect(await cmd('STATUS Old-Inbox (UNSEEN)')).toContain('(UNSEEN 1)');
  });

  it('searches a native text post by its rendered headers', async () => {
    const n = await NativeClient.connect(keep.ports.native);
    await n.login('bob', 'bob-pw');
    expect((await n.cmd('ENT0 1|alice|0|1|Native subject|||||||||')).code).toBe(400);
    n.sendListing(['Typed in the native client.']);
    await n.cmd('NOOP');
    n.close();
    await cmd('SELECT INBOX');
    expect(await cmd('SEARCH HEADER Content-Type text/plain')).toMatch(/\* SEARCH 1\r\n/);
    expect(await cmd('SEARCH TEXT "native client"')).toMatch(/\* SEARCH 1\r\n/);
    const f = await cmd('FETCH 1 (RFC822.SIZE BODY.PEEK[])');
    const size = Number(/RFC822\.SIZE (\d+)/.exec(f)![1]);
    expect(f).toContain(`BODY[] {${size}}\r\n`);
    expect(await cmd('FETCH 1 BODY.PEEK[]')).toBe(f.replace(/RFC822\.SIZE \d+ /, '').replace(/t\d+ OK/, `t${tagN} OK`));
  });

  it('answers CHECK, ID and ENABLE', async () => {
    expect(await cmd('CHECK')).toMatch(/ OK CHECK completed/);
    expect(await cmd('ID ("name" "test")')).toContain('* ID ("name" "Keep"');
    expect(await cmd('ENABLE X-NOT-OFFERED')).toContain('* ENABLED\r\n');
  });
});
