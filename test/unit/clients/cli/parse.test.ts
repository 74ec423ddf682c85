import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../../clients/cli/src/wire/line-reader.ts';
import { parseArgs } from '../../../../clients/cli/src/options/args.ts';
import { parseGoto, parseMessage, parseRoomLine, reflow } from '../../../../clients/cli/src/wire/parse.ts';
import { listingLines, parseReplyLine } from '../../../../clients/cli/src/wire/reply.ts';

describe('native client reply parsing', () => {
  it.each([
    ['200 ok', { code: 200, hasMessages: false, text: 'ok' }],
    ['200*ok', { code: 200, hasMessages: true, text: 'ok' }],
    ['100', { code: 100, hasMessages: false, text: '' }],
    ['570 No instant messages waiting.', { code: 570, hasMessages: false, text: 'No instant messages waiting.' }],
    ['hello', undefined],
  ])('parses %j', (line, expected) => {
    expect(parseReplyLine(line)).toEqual(expected);
  });

  it('reads GOTO fields', () => {
    expect(parseGoto('Kitchen|2|5|1|3|103|101|0|1|4|1|0|0|0|0|1795389704|')).toMatchObject({
      name: 'Kitchen', unread: 2, total: 5, highest: 103, lastRead: 101, isMailbox: false, newMail: 4, floor: 1,
    });
  });

  it('reads the has-new access bit of a known-rooms line', () => {
    expect(parseRoomLine('Lobby|3|0|0|0|302|0|0|1795389545|')).toMatchObject({ name: 'Lobby', hasNew: true });
    expect(parseRoomLine('Garage|3|1|1|0|294|0|0|1795389545|')).toMatchObject({ name: 'Garage', hasNew: false });
    expect(parseRoomLine('')).toBeUndefined();
  });

  it('reads a MSG4 message: headers, text, MIME block, body', () => {
    const m = parseMessage(100, ['msgn=100@keep', 'time=1795389545', 'from=Sysop', 'room=Lobby', 'subj=Welcome', 'text',
      'Content-type: text/plain; charset=utf-8', '', 'Hello and welcome.', '', 'This is line two.']);
    expect(m).toMatchObject({ msgnum: 100, from: 'Sysop', subject: 'Welcome', time: 1795389545, room: 'Lobby', text: 'Hello and welcome.\n\nThis is line two.' });
  });

  it('decodes a quoted-printable body and re-flows variformat', () => {
    expect(parseMessage(1, ['from=a', 'text', 'Content-type: text/plain', 'Content-transfer-encoding: quoted-printable', '', 'caf=C3=A9 =', 'ok']).text).toBe('café ok');
    expect(reflow(['Hello there ', 'world. ', ' New paragraph. ', ' '])).toBe('Hello there world.\nNew paragraph.');
  });

  it('never lets a body line end the listing early', () => {
    expect(listingLines('a\n000\nb\n')).toEqual(['a', ' 000', 'b']);
    expect(listingLines('x'.repeat(2500))).toHaveLength(3);
    expect(listingLines('')).toEqual([]);
  });
});

describe('keep argument parsing', () => {
  it('splits flags, command and positional words', () => {
    const a = parseArgs(['--host', 'h', 'read', 'Lobby', '--last', '3', '--json']);
    expect(a.command).toBe('read');
    expect(a.positional).toEqual(['Lobby']);
    expect(Object.fromEntries(a.flags)).toEqual({ host: 'h', last: '3', json: true });
  });

  it.each([
    [['--bogus'], /unknown option --bogus/],
    [['--host'], /--host needs a value/],
    [['--json=1'], /--json takes no value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('native client line reader', () => {
  it('joins a UTF-8 character split across chunks and drops CR before LF', async () => {
    const reader = new LineReader();
    const bytes = Buffer.from('200 café\r\nnext\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    reader.push(bytes.subarray(0, cut));
    reader.push(bytes.subarray(cut));
    expect([await reader.next(), await reader.next()]).toEqual(['200 café', 'next']);
  });

  it('fails pending reads when the connection ends, and refuses an endless line', async () => {
    const reader = new LineReader(10);
    const pending = reader.next();
    reader.push('x'.repeat(11));
    await expect(pending).rejects.toThrow(/longer than 10 bytes/);
  });
});
