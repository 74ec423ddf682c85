// The cross-protocol contract's view of each protocol: how a user posts a message into a room,
// and how a user reads one back (author, subject, date, body). Each speaks the wire through a
// real or raw client, as a user of that protocol would; nothing here reads the store.
import { ImapFlow } from 'imapflow';
import libmime from 'libmime';
import nodemailer from 'nodemailer';
import { NativeClient } from '../../helpers/native-client.ts';
import type { Keep } from '../../helpers/start-keep.ts';
import { ChatClient } from '../chat/chat-client.ts';
import { NntpClient } from '../nntp/nntp-client.ts';

export type Proto = 'native' | 'nntp' | 'imap' | 'smtp' | 'chat';
export const POSTERS: Proto[] = ['native', 'nntp', 'imap', 'smtp', 'chat'];
export const READERS: Proto[] = ['native', 'nntp', 'imap', 'chat'];

/** Who reads what a poster posts: the web chat shows chat lines, not articles or mail. */
export function readersOf(poster: Proto): Proto[] {
  return poster === 'chat' ? READERS : READERS.filter((r) => r !== 'chat');
}

export interface Draft {
  subject: string;
  /** lines of text; the first holds a token unique to this message, by which readers find it */
  body: string[];
  /** the Date field, for protocols where the client writes the header (default: now) */
  date?: Date;
}

/** Protocols whose client writes the message's header, Date included. */
export const WRITES_HEADER: Proto[] = ['nntp', 'imap', 'smtp'];

export interface Read {
  /** the author's display name */
  name: string;
  /** the author's address, where the protocol shows one */
  address?: string;
  subject?: string;
  /** whole seconds since the epoch */
  date: number;
  /** the text lines (line endings removed) */
  body: string[];
}

export interface Room {
  /** the room's name (native, chat), and its names in the other protocols */
  name: string;
  group: string;
  folder: string;
  /** the room's list address (SMTP) */
  address: string;
}

const pw = (user: string) => `${user}-pw`;
const domain = 'keep.test';

/** Post as user into room through proto; resolves once the server acknowledged (durably). */
export async function post(keep: Keep, proto: Proto, user: string, room: Room, d: Draft): Promise<void> {
  const date = (d.date ?? new Date()).toUTCString().replace('GMT', '+0000');
  const rfc822 = `From: ${user} <${user}@${domain}>\r\nSubject: ${d.subject}\r\nDate: ${date}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@client.test>\r\n`;
  switch (proto) {
    case 'native': {
      const c = await NativeClient.connect(keep.ports.native);
      try {
        await c.login(user, pw(user));
        expectCode(await c.cmd(`GOTO ${room.name}|`), 200);
        expectCode(await c.cmd(`ENT0 1||0|1|${d.subject}|||||||||`), 400);
        c.sendListing(d.body);
        expectCode(await c.cmd('NOOP'), 200); // the listing has no reply of its own; this one follows its commit
      } finally {
        c.close();
      }
      return;
    }
    case 'nntp': {
      const c = await NntpClient.connect(keep.ports.nntp);
      try {
        await c.login(user, pw(user));
        const r = await c.post([...rfc822.trimEnd().split('\r\n'), `Newsgroups: ${room.group}`, '', ...d.body]);
        if (r.code !== 240) throw new Error(`POST answered ${r.code} ${r.text}`);
      } finally {
        c.close();
      }
      return;
    }
    case 'imap': {
      const c = imapClient(keep, user);
      await c.connect();
      try {
        const res = await c.append(room.folder, Buffer.from(`${rfc822}\r\n${d.body.join('\r\n')}\r\n`));
        if (!res || !res.uid) throw new Error('APPEND answered no UID');
      } finally {
        await c.logout();
      }
      return;
    }
    case 'smtp': {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.submission, secure: false, auth: { user, pass: pw(user) }, tls: { rejectUnauthorized: false } });
      try {
        await t.sendMail({ envelope: { from: `${user}@${domain}`, to: [room.address] }, raw: `${rfc822}To: ${room.address}\r\n\r\n${d.body.join('\r\n')}\r\n` });
      } finally {
        t.close();
      }
      return;
    }
    case 'chat': {
      const c = await ChatClient.as(keep.ports.http, user, pw(user));
      try {
        const r = await c.request({ type: 'say', room: room.name, text: d.body.join(' ') });
        if (r.type !== 'sent') throw new Error(`say answered ${JSON.stringify(r)}`);
      } finally {
        c.close();
      }
    }
  }
}

/** Read, as user through proto, the message in room whose text holds token. */
export async function read(keep: Keep, proto: Proto, user: string, room: Room, token: string): Promise<Read> {
  switch (proto) {
    case 'native': return readNative(keep, user, room, token);
    case 'nntp': return readNntp(keep, user, room, token);
    case 'imap': return readImap(keep, user, room, token);
    case 'chat': return readChat(keep, user, room, token);
    default: throw new Error(`${proto} does not read`);
  }
}

async function readNative(keep: Keep, user: string, room: Room, token: string): Promise<Read> {
  const c = await NativeClient.connect(keep.ports.native);
  try {
    await c.login(user, pw(user));
    expectCode(await c.cmd(`GOTO ${room.name}|`), 200);
    for (const n of (await c.cmd('MSGS ALL||0')).lines.reverse()) {
      const m = await c.cmd(`MSG0 ${n}|0`);
      const at = m.lines.indexOf('text');
      const body = m.lines.slice(at + 1);
      if (!body.some((l) => l.includes(token))) continue;
      const field = (k: string) => m.lines.slice(0, at).find((l) => l.startsWith(`${k}=`))?.slice(k.length + 1);
      return { name: field('from') ?? '', subject: field('subj'), date: Number(field('time')), body: trimBody(body) };
    }
  } finally {
    c.close();
  }
  throw new Error(`native: no message with ${token} in ${room.name}`);
}

async function readNntp(keep: Keep, user: string, room: Room, token: string): Promise<Read> {
  const c = await NntpClient.connect(keep.ports.nntp);
  try {
    await c.login(user, pw(user));
    const g = await c.cmd(`GROUP ${room.group}`);
    if (g.code !== 211) throw new Error(`GROUP answered ${g.code} ${g.text}`);
    for (const line of (await c.cmd('OVER 1-')).lines.reverse()) {
      const a = await c.cmd(`ARTICLE ${line.split('\t')[0]}`);
      const blank = a.lines.indexOf('');
      const body = a.lines.slice(blank + 1).map((l) => Buffer.from(l, 'latin1').toString('utf8'));
      if (!body.some((l) => l.includes(token))) continue;
      const head = unfold(a.lines.slice(0, blank));
      const from = parseAddress(head.get('from') ?? '');
      return { ...from, subject: decode(head.get('subject') ?? ''), date: Date.parse(head.get('date') ?? '') / 1000, body: trimBody(body) };
    }
  } finally {
    c.close();
  }
  throw new Error(`nntp: no article with ${token} in ${room.group}`);
}

async function readImap(keep: Keep, user: string, room: Room, token: string): Promise<Read> {
  const c = imapClient(keep, user);
  await c.connect();
  try {
    await c.mailboxOpen(room.folder, { readOnly: true });
    for await (const m of c.fetch('1:*', { envelope: true, source: true })) {
      const text = m.source!.toString('utf8');
      const body = text.slice(text.indexOf('\r\n\r\n') + 4).split('\r\n');
      if (!body.some((l) => l.includes(token))) continue;
      const from = m.envelope!.from?.[0];
      return { name: from?.name ?? '', address: from?.address, subject: m.envelope!.subject, date: new Date(m.envelope!.date!).getTime() / 1000, body: trimBody(body) };
    }
  } finally {
    await c.logout();
  }
  throw new Error(`imap: no message with ${token} in ${room.folder}`);
}

async function readChat(keep: Keep, user: string, room: Room, token: string): Promise<Read> {
  const c = await ChatClient.as(keep.ports.http, user, pw(user));
  try {
    const h = await c.join(room.name);
    const lines = (h.messages ?? []) as { from: string; text: string; time: number }[];
    const m = lines.find((l) => l.text.includes(token));
    if (!m) throw new Error(`chat: no line with ${token} in ${room.name}: ${JSON.stringify(h).slice(0, 300)}`);
    return { name: m.from, date: Math.floor(m.time / 1000), body: [m.text] };
  } finally {
    c.close();
  }
}

/** loopback allows passwords in the clear (KEEP_CLEARTEXT_AUTH_ON_LOOPBACK); no STARTTLS to a self-signed cert */
function imapClient(keep: Keep, user: string): ImapFlow {
  return new ImapFlow({ host: '127.0.0.1', port: keep.ports.imap, secure: false, doSTARTTLS: false, tls: { rejectUnauthorized: false }, auth: { user, pass: pw(user) }, logger: false, disableAutoIdle: true });
}

function expectCode(r: { code: number; raw: string }, code: number): void {
  if (r.code !== code) throw new Error(`expected ${code}, got ${r.raw}`);
}

/** Header fields by lower-case name, continuation lines unfolded. */
function unfold(lines: string[]): Map<string, string> {
  const out = new Map<string, string>();
  let last = '';
  for (const l of lines) {
    if (/^[ \t]/.test(l) && last) out.set(last, `${out.get(last)} ${l.trim()}`);
    else {
      const i = l.indexOf(':');
      last = l.slice(0, i).toLowerCase();
      out.set(last, Buffer.from(l.slice(i + 1).trim(), 'latin1').toString('utf8'));
    }
  }
  return out;
}

function decode(s: string): string {
  return libmime.decodeWords(s);
}

function parseAddress(s: string): { name: string; address?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(s);
  if (!m) return { name: '', address: s.trim() };
  return { name: decode(m[1]!.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1')), address: m[2] };
}

/** Drop the trailing empty lines a transport adds. */
function trimBody(lines: string[]): string[] {
  const out = [...lines];
  while (out.length && out.at(-1) === '') out.pop();
  return out;
}
