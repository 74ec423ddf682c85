import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../src/core/index.ts';
import { indexHeader } from '../../../../src/core/mime/header.ts';
import { article, articleHead, encodeData, encodeReply, fieldValue, overviewLine, stuffBytes } from '../../../../src/protocols/nntp/render.ts';

const ctx = { groups: ['keep.main-floor.kitchen'], number: 7, host: 'keep.test' };

function textPost(): { m: Message; raw: Buffer } {
  const raw = Buffer.from('Date: Wed, 25 Nov 2026 12:00:00 +0000\r\nFrom: Ann <ann@keep.test>\r\nSubject: Hi\r\nMessage-ID: <7.x@keep.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n.one\r\ntwo\r\n');
  const bodyOffset = raw.indexOf('\r\n\r\n') + 4;
  const m = {
    msgnum: 7, format: 'text', time: Date.UTC(2026, 10, 25, 12), authorName: 'Ann', authorAddress: 'ann@keep.test', subject: 'Hi',
    messageId: '<7.x@keep.test>', references: [], recipients: [], originRoom: 'Kitchen', size: raw.length, lines: 2, headers: indexHeader(raw, bodyOffset), bodyOffset,
  } as unknown as Message;
  return { m, raw };
}

function received(): { m: Message; raw: Buffer } {
  const raw = Buffer.from('From: Bob <bob@x.example>\r\nSubject: =?utf-8?Q?caf=C3=A9?=\r\nReferences: <a@x> <b@x>\r\nDate: Wed, 25 Nov 2026 13:00:00 +0000\r\nMessage-ID: <gen.8@keep.test>\r\n\r\nbody\r\n');
  const m = {
    msgnum: 8, format: 'rfc822', time: Date.UTC(2026, 10, 25, 13), authorName: 'Bob', authorAddress: 'bob@x.example', subject: 'café',
    messageId: '<gen.8@keep.test>', references: ['<a@x>', '<b@x>'], recipients: [], originRoom: 'Kitchen', size: raw.length, lines: 1,
    headers: indexHeader(raw, raw.indexOf('\r\n\r\n') + 4), bodyOffset: raw.indexOf('\r\n\r\n') + 4,
  } as unknown as Message;
  return { m, raw };
}

describe('NNTP encodeReply', () => {
  it.each([
    [{ code: 200, text: 'ok' }, '200 ok\r\n'],
    [{ code: 215, text: 'list', data: ['a', '.b', '..c', ''] }, '215 list\r\na\r\n..b\r\n...c\r\n\r\n.\r\n'],
    [{ code: 222, text: '0 <x>', data: Buffer.from('.x\nplain\r\n.\r\nlast') }, '222 0 <x>\r\n..x\r\nplain\r\n..\r\nlast\r\n.\r\n'],
    [{ code: 224, text: 'none', data: [] }, '224 none\r\n.\r\n'],
  ] as const)('encodes %j', (r, wire) => {
    expect(encodeReply(r as never).toString()).toBe(wire);
  });

  it('writes a data block in pieces of whole lines that join to the one-piece block', () => {
    const body = Buffer.from(Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? `.dot ${i}` : `line ${i}`)).join('\n') + '\r\nend');
    const pieces = [...encodeData(body, 100)];
    expect(pieces.length).toBeGreaterThan(10);
    expect(Buffer.concat(pieces).toString()).toBe(stuffBytes(body).toString());
    for (const p of pieces.slice(0, -1)) expect(p.toString().endsWith('\r\n')).toBe(true);
    let rendered = 0;
    const lines = (function* () { for (let i = 0; i < 300; i++) { rendered++; yield `.${i}`; } })();
    const it = encodeData(lines, 64);
    it.next();
    expect(rendered).toBeLessThan(300); // lazy lines are rendered only as pieces are taken
    expect([...it].length).toBeGreaterThan(0);
    // a piece ends early when the writer's slice is used up; null is a turn without a line
    expect([...encodeData(['a', null, 'b'], 1 << 20, () => true)].map(String)).toEqual(['a\r\n', '', 'b\r\n']);
  });

  it('leaves an empty body empty and keeps blank lines', () => {
    expect(stuffBytes(Buffer.alloc(0)).toString()).toBe('');
    expect(stuffBytes(Buffer.from('a\r\n\r\nb\r\n')).toString()).toBe('a\r\n\r\nb\r\n');
  });
});

describe('NNTP article rendering', () => {
  it('adds the missing news fields to a text post and keeps its stored head and body', () => {
    const { m, raw } = textPost();
    const head = articleHead(m, raw, ctx).toString();
    expect(head.split('\r\n').slice(0, 5)).toEqual(['Path: keep.test!not-for-mail', 'Newsgroups: keep.main-floor.kitchen', 'Lines: 2', `Bytes: ${m.size}`, 'Xref: keep.test keep.main-floor.kitchen:7']);
    expect(head.endsWith('Content-Transfer-Encoding: 8bit\r\n')).toBe(true);
    expect(article(m, raw, ctx).toString().endsWith('8bit\r\n\r\n.one\r\ntwo\r\n')).toBe(true);
  });

  it('adds only the news fields to a received message: the rest is its stored header', () => {
    const { m, raw } = received();
    const head = articleHead(m, raw, { ...ctx, groups: ['g.a', 'g.b'], number: 8 }).toString();
    expect(head.match(/^Message-ID:/gm)).toHaveLength(1);
    expect(head.match(/^Date:/gm)).toHaveLength(1);
    expect(head).toContain('Newsgroups: g.a,g.b\r\n');
    expect(head).toContain('Xref: keep.test g.a:8 g.b:8\r\n');
    expect(head).not.toContain('From: Bob <bob@x.example>\r\nFrom');
  });
});

describe('NNTP overview', () => {
  it('builds a line from metadata: subject, from, date, id, references, bytes, lines, xref', () => {
    const { m } = received();
    expect(overviewLine(m, { ...ctx, number: 8 }).split('\t')).toEqual([
      '8', '=?utf-8?Q?caf=C3=A9?=', 'Bob <bob@x.example>', 'Wed, 25 Nov 2026 13:00:00 +0000', '<gen.8@keep.test>', '<a@x> <b@x>', String(m.size), '1', 'Xref: keep.test keep.main-floor.kitchen:8',
    ]);
  });

  it('takes a text post\'s fields from its header index', () => {
    const { m } = textPost();
    expect(fieldValue(m, 'From', ctx)).toBe('Ann <ann@keep.test>');
    expect(fieldValue(m, 'date', ctx)).toBe('Wed, 25 Nov 2026 12:00:00 +0000');
    expect(fieldValue(m, ':bytes', ctx)).toBe(String(m.size));
    expect(fieldValue(m, 'x-unknown', ctx)).toBeUndefined();
  });

  it('puts tabs and line breaks of a value on one line', () => {
    const { m } = textPost();
    const tabbed = { ...m, headers: [['subject', 'a\tb\r\nc']] } as Message;
    expect(overviewLine(tabbed, ctx).split('\t')[1]).toBe('a b c');
  });
});
