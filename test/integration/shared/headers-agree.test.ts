// One message, the same header on every protocol: NNTP OVER, HDR and ARTICLE, IMAP ENVELOPE and
// the native MSG0 fields agree byte for byte (the native client shows the decoded text) for a
// native post, an NNTP POST and an IMAP APPEND by an author with a non-ASCII name, all read by
// another user. The stored header is the one core's builder made; no protocol keeps a copy.
import libmime from 'libmime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { systemActor } from '../../../src/core/index.ts';
import { connect, withCore } from '../nntp/fixture.ts';
import type { NntpClient } from '../nntp/nntp-client.ts';
import { Raw } from '../imap/fixture.ts';
import { addressText, envelopeIn } from './imap-envelope.ts';

const GROUP = 'keep.main-floor.kitchen';
const NAME = 'Zoë Adams';
const SUBJECT = 'Grüße aus Köln';
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1'); // as a latin1 socket reads it
const decode = (bytes: string) => libmime.decodeWords(Buffer.from(bytes, 'latin1').toString('utf8'));

let keep: Keep;
let news: NntpClient;
let imap: Raw;
let native: NativeClient;
const posted: Partial<Record<"native" | "news" | "append", number>> = {};

beforeAll(async () => {
  keep = await startKeep();
  await withCore(keep, async (core) => {
    const system = systemActor('test');
    await core.users.create(system, { name: NAME, password: 'zoe-pw', level: 3, addresses: ['zoe@keep.test'] });
    await core.users.create(system, { name: 'bob', password: 'bob-pw', level: 3 });
    await core.rooms.create(system, { name: 'Kitchen', kind: 'public' });
  });
  // written by Zoë: natively, by NNTP POST (8-bit UTF-8 From), by IMAP APPEND (encoded subject)
  const zn = await NativeClient.connect(keep.ports.native);
  await zn.login(NAME, 'zoe-pw');
  await zn.cmd('GOTO Kitchen|');
  expect((await zn.cmd(`ENT0 1||0|1|${SUBJECT}|`)).code).toBe(400);
  zn.sendListing(['native body']);
  expect((await zn.cmd('MSGS LAST|1')).lines.length).toBe(1);
  posted.native = Number((await zn.cmd('MSGS LAST|1')).lines[0]);
  zn.close();
  const zp = await connect(keep);
  await zp.login('zoe@keep.test', 'zoe-pw');
  const r = await zp.post([`From: ${NAME} <zoe@keep.test>`, `Newsgroups: ${GROUP}`, `Subject: ${SUBJECT}`, '', 'news body']); // sent as UTF-8
  expect(r.code).toBe(240);
  zp.close();
  const za = await Raw.open(keep.ports.imap);
  await za.cmd('a', 'LOGIN zoe@keep.test zoe-pw');
  const msg = `From: "The Sysop" <zoe@keep.test>\r\nSubject: ${libmime.encodeWord(SUBJECT, 'B')}\r\n\r\nappended body\r\n`;
  za.sock.write(`b APPEND Public/Kitchen {${msg.length}+}\r\n${msg}\r\n`);
  const appended = await za.until((b) => /^b (OK|NO|BAD)/m.test(b));
  posted.append = Number(/APPENDUID \d+ (\d+)/.exec(appended)![1]);
  za.close();
  posted.news = Number((await withCore(keep, async (core) => core.messages.list(systemActor('test'), core.rooms.findByName(systemActor('test'), 'Kitchen')!.roomnum)))
    .find((n) => n !== posted.native && n !== posted.append));
  // read by bob on every protocol
  news = await connect(keep, 'bob');
  expect((await news.cmd(`GROUP ${GROUP}`)).code).toBe(211);
  imap = await Raw.open(keep.ports.imap);
  await imap.cmd('a', 'LOGIN bob bob-pw');
  await imap.cmd('b', 'SELECT Public/Kitchen');
  native = await NativeClient.connect(keep.ports.native);
  await native.login('bob', 'bob-pw');
  await native.cmd('GOTO Kitchen|');
}, 120_000);

afterAll(async () => {
  news?.close();
  imap?.close();
  native?.close();
  await keep?.stop();
});

async function seen(n: number) {
  const over = (await news.cmd(`OVER ${n}`)).lines[0]!.split('\t');
  const hdrFrom = (await news.cmd(`HDR From ${n}`)).lines[0]!.replace(/^\d+ /, '');
  const hdrSubject = (await news.cmd(`HDR Subject ${n}`)).lines[0]!.replace(/^\d+ /, '');
  const head = (await news.cmd(`HEAD ${n}`)).lines;
  const field = (name: string) => head.find((l) => l.startsWith(`${name}: `))!.slice(name.length + 2);
  const env = envelopeIn(await imap.cmd('c', `UID FETCH ${n} ENVELOPE`));
  const msg0 = (await native.cmd(`MSG0 ${n}|1`)).lines;
  const key = (k: string) => Buffer.from(msg0.find((l) => l.startsWith(`${k}=`))!.slice(k.length + 1), 'utf8').toString('latin1');
  return {
    over: { subject: over[1], from: over[2] }, hdr: { subject: hdrSubject, from: hdrFrom }, article: { subject: field('Subject'), from: field('From') },
    envelope: { subject: env[1] as string, from: addressText((env[2] as string[][])[0]!), sender: addressText((env[3] as string[][])[0]!) },
    native: { subject: key('subj'), from: key('from') },
  };
}

describe.each(['native', 'news', 'append'] as const)('a message written by %s', (way) => {
  it('has the same From and Subject bytes in OVER, HDR, ARTICLE and ENVELOPE, decoded in MSG0', async () => {
    const s = await seen(posted[way]!);
    for (const v of [s.hdr, s.article, s.envelope]) {
      expect(v.subject).toBe(s.over.subject);
      expect(v.from).toBe(s.over.from);
    }
    expect(s.envelope.sender).toBe(s.over.from);
    expect(decode(s.over.subject!)).toBe(SUBJECT);
    expect(decode(s.over.from!)).toMatch(new RegExp(`^${NAME} <(zoe|zoë\\.adams)@keep\\.test>$`));
    expect(s.native).toEqual({ subject: utf8(SUBJECT), from: utf8(NAME) });
  });
});
