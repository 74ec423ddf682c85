// The native renderer: `000` safety, room flags and access bits, GOTO fields, MSG4/MSG0 lines,
// and the error mapping from core kinds to Citadel codes.
import { describe, expect, it } from 'vitest';
import { CoreError, type Message, type Room } from '../../../../src/core/index.ts';
import { mapError, NativeError } from '../../../../src/protocols/native/errors.ts';
import { ERR } from '../../../../src/protocols/native/codes.ts';
import { accessBits, gotoFields, msg0Lines, msg4Lines, roomFlags, safeLine, textLines } from '../../../../src/protocols/native/render.ts';

const room = (over: Partial<Room> = {}): Room => ({
  roomnum: 5, name: 'Kitchen', kind: 'public', floor: 0, order: 0, aide: 0, owners: [], generation: 1, highest: 42, created: 0,
  mtime: 1_700_000_000_000, info: '', infoTime: 0, isPermanent: false, isReadOnly: false, hasPassword: false, defaultView: 0, ...over,
});

const message = (over: Partial<Message> = {}): Message => ({
  msgnum: 42, format: 'text', time: 1_700_000_000_000, authorName: 'Ada', authorUser: 2, authorAddress: 'ada@keep.test', subject: 'Hi',
  messageId: '<42.x@keep.test>', references: [], recipients: [], originRoom: 'Kitchen', size: 10, lines: 1, textFormat: 1,
  envelope: { from: [], sender: [], replyTo: [], to: [], cc: [], bcc: [] }, bodyStructure: { type: 'text', subtype: 'plain', params: {}, encoding: '8bit', headerStart: 0, bodyStart: 0, end: 0, lines: 1 },
  headers: [], bodyOffset: 0, ...over,
} as Message);

describe('native render', () => {
  it.each([['000', ' 000'], [' 000', ' 000'], ['0000', '0000'], ['', '']])('makes %j safe inside a listing', (l, out) => {
    expect(safeLine(l)).toBe(out);
  });

  it('splits text into listing lines without a trailing empty line and with 000 altered', () => {
    expect(textLines('a\r\n000\nb\n')).toEqual(['a', ' 000', 'b']);
    expect(textLines('')).toEqual([]);
  });

  it.each([
    [room(), 2], [room({ isPermanent: true }), 3], [room({ kind: 'private-password' }), 14], [room({ kind: 'hidden' }), 22],
    [room({ kind: 'private-invite' }), 6], [room({ kind: 'mailbox' }), 16386], [room({ isReadOnly: true }), 8194],
  ])('gives QR flags for %#', (r, flags) => {
    expect(roomFlags(r)).toBe(flags);
  });

  it('gives UA access bits', () => {
    const access = { canRead: true, canPost: true, canAdmin: false, canDelete: false, isKnown: true, isZapped: false };
    expect(accessBits({ access, hasNew: true })).toBe(2 | 4 | 8 | 32 | 256);
    expect(accessBits({ access: { ...access, canPost: false, isKnown: false, isZapped: true }, hasNew: false })).toBe(4 | 16);
  });

  it('builds the 16 GOTO fields with a trailing bar', () => {
    const text = gotoFields({ room: room({ name: 'A|B' }), unread: 1, total: 3, hasInfo: true, lastSeen: 40, isAide: false, newMail: 2 });
    expect(text).toBe('A!B|1|3|1|2|42|40|0|0|2|0|0|0|0|0|1700000000|');
  });

  it('builds MSG4 lines: headers, text, MIME block, blank line, body; and MSG0 with type=', () => {
    const v = { message: message({ references: ['<1@x>', '<2@x>'] }), text: 'one\n000\n', nodeName: 'keep', humanNode: 'Keep' };
    const lines = msg4Lines(v, 'all');
    expect(lines.slice(0, 3)).toEqual(['msgn=42.x@keep.test', 'time=1700000000', 'from=Ada']);
    expect(lines).toContain('wefw=1@x|2@x');
    expect(lines).not.toContain('rfca=ada@keep.test');
    const t = lines.indexOf('text');
    expect(lines.slice(t)).toEqual(['text', 'Content-type: text/plain; charset=utf-8', 'Content-length: 8', '', 'one', ' 000']);
    expect(msg4Lines(v, 'headers')).not.toContain('text');
    expect(msg0Lines({ ...v, message: message({ textFormat: 0 }) }, false)[0]).toBe('type=0');
    const outside = msg4Lines({ ...v, message: message({ authorUser: undefined, authorAddress: 'x@example.org' }) }, 'headers');
    expect(outside).toContain('rfca=x@example.org');
  });
});

describe('native error mapping', () => {
  it.each([
    ['not-logged-in', 520], ['bad-credentials', 540], ['forbidden', 550], ['not-found', 570], ['exists', 574],
    ['invalid', 512], ['too-big', 511], ['limit', 511], ['unavailable', 510], ['over-quota', 511],
  ] as const)('maps core %s to %i', (kind, code) => {
    expect(mapError(new CoreError(kind, 'why'))).toEqual({ code, text: 'why', isBug: false });
  });

  it('applies per-command overrides, keeps protocol errors, and hides bugs', () => {
    expect(mapError(new CoreError('not-found', 'x'), { 'not-found': ERR.ROOM_NOT_FOUND }).code).toBe(572);
    expect(mapError(new NativeError(ERR.ILLEGAL_VALUE, 'bad'))).toEqual({ code: 512, text: 'bad', isBug: false });
    expect(mapError(new TypeError('secret internals'))).toEqual({ code: 510, text: 'Internal error.', isBug: true });
  });
});
