// What holds on every protocol (issue 18): a message posted through any of them reads the same
// through every other (author, subject, date, body), and \Seen is one read state. Written once,
// run per protocol with describe.each; see contract-durable and contract-errors for the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.ts';
import { coreOn } from '../../helpers/core-fixture.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { ChatClient, login } from '../chat/chat-client.ts';
import { NntpClient } from '../nntp/nntp-client.ts';
import { flow } from '../imap/fixture.ts';
import { post, POSTERS, read, readersOf, WRITES_HEADER, type Proto, type Room } from './contract-clients.ts';

let keep: Keep;
let rooms = 0;

/** A public room of its own for a case, with a list address so that mail can reach it. */
async function newRoom(): Promise<Room> {
  const name = `Contract${++rooms}`;
  const { core, close } = coreOn(keep.dataDir);
  try {
    const room = await core.rooms.create(systemActor('test'), { name, kind: 'public' });
    await core.rooms.update(systemActor('test'), room.roomnum, { listAddress: name.toLowerCase() });
  } finally {
    await close();
  }
  return { name, group: `keep.main-floor.${name.toLowerCase()}`, folder: `Public/${name}`, address: `${name.toLowerCase()}@keep.test` };
}

beforeAll(async () => {
  keep = await startKeep();
  const { core, close } = coreOn(keep.dataDir);
  try {
    for (const name of ['alice', 'bob', 'Zoë']) await core.users.create(systemActor('test'), { name, password: `${name}-pw` });
  } finally {
    await close();
  }
});
afterAll(async () => {
  await keep?.stop();
});

const token = () => `tok${Math.random().toString(36).slice(2, 10)}`;

describe.each(POSTERS)('a message posted through %s', (poster: Proto) => {
  // chat lines have no subject, and one line of text
  const hasSubject = poster !== 'chat';

  it.each(readersOf(poster))('reads through %s with the same author, subject, date and body', async (reader: Proto) => {
    const room = await newRoom();
    const t = token();
    const before = Math.floor(Date.now() / 1000);
    await post(keep, poster, 'alice', room, { subject: `Contract ${t}`, body: hasSubject ? [`${t} first line`, 'second line'] : [`${t} said in chat`] });
    const after = Math.ceil(Date.now() / 1000);
    const got = await read(keep, reader, 'bob', room, t);
    expect(got.name).toBe('alice');
    if (got.address !== undefined) expect(got.address).toBe('alice@keep.test');
    if (hasSubject && got.subject !== undefined) expect(got.subject).toBe(`Contract ${t}`);
    expect(got.date).toBeGreaterThanOrEqual(before - 1); // a client's Date has whole seconds
    expect(got.date).toBeLessThanOrEqual(after);
    if (reader === 'chat') expect(got.body.join(' ')).toBe(hasSubject ? `${t} first line second line` : `${t} said in chat`);
    else expect(got.body).toEqual(hasSubject ? [`${t} first line`, 'second line'] : [`${t} said in chat`]);
  });

  // the message's date is its Date field where the client wrote one (as Citadel's own time
  // field is), else the moment it was posted; every protocol shows that one date.
  // native time=, NNTP Date and IMAP ENVELOPE all read the Date field of the one header index
  it('shows one date on every protocol', async () => {
    const room = await newRoom();
    const t = token();
    const written = new Date('2026-03-02T10:00:00Z');
    const before = Math.floor(Date.now() / 1000);
    await post(keep, poster, 'alice', room, { subject: `Dated ${t}`, body: [`${t} dated`], date: written });
    const after = Math.ceil(Date.now() / 1000);
    const dates = await Promise.all(readersOf(poster).map(async (r) => [r, Math.floor((await read(keep, r, 'bob', room, t)).date)] as const));
    if (WRITES_HEADER.includes(poster)) {
      for (const [r, d] of dates) expect(d, r).toBe(written.getTime() / 1000);
    } else {
      expect(new Set(dates.map(([, d]) => d)).size).toBe(1);
      expect(dates[0]![1]).toBeGreaterThanOrEqual(before);
      expect(dates[0]![1]).toBeLessThanOrEqual(after);
    }
  });
});

describe('a non-ASCII author and subject', () => {
  it.each(readersOf('native'))('read through %s as written', async (reader: Proto) => {
    const room = await newRoom();
    const t = token();
    await post(keep, 'native', 'Zoë', room, { subject: `Café crème ${t}`, body: [`${t} naïve body`] });
    const got = await read(keep, reader, 'bob', room, t);
    expect(got.name).toBe('Zoë');
    expect(got.subject).toBe(`Café crème ${t}`);
    expect(got.body).toEqual([`${t} naïve body`]);
  });

  // OVER, HDR and ARTICLE render from the one header index (core/mime), so they agree
  it('is the same in NNTP OVER, HDR and ARTICLE, byte for byte', async () => {
    const room = await newRoom();
    const t = token();
    await post(keep, 'native', 'Zoë', room, { subject: `Café crème ${t}`, body: [`${t} naïve body`] });
    const c = await NntpClient.connect(keep.ports.nntp);
    try {
      await c.login('bob', 'bob-pw');
      await c.cmd(`GROUP ${room.group}`);
      const over = (await c.cmd('OVER 1-')).lines[0]!.split('\t');
      const n = over[0];
      const head = (await c.cmd(`HEAD ${n}`)).lines;
      const field = (name: string) => head.find((l) => l.toLowerCase().startsWith(`${name}: `))!.slice(name.length + 2);
      const hdr = async (name: string) => { const l = (await c.cmd(`HDR ${name} ${n}`)).lines[0]!; return l.slice(l.indexOf(' ') + 1); };
      expect({ subject: over[1], from: over[2], date: over[3] }).toEqual({ subject: field('subject'), from: field('from'), date: field('date') });
      expect({ subject: await hdr('Subject'), from: await hdr('From'), date: await hdr('Date') }).toEqual({ subject: field('subject'), from: field('from'), date: field('date') });
    } finally {
      c.close();
    }
  });
});

/** Mark the room's one message seen as alice through proto. */
async function markSeen(proto: Proto, room: Room, msgnum: number): Promise<void> {
  if (proto === 'native') {
    const c = await NativeClient.connect(keep.ports.native);
    await c.login('alice', 'alice-pw');
    await c.cmd(`GOTO ${room.name}|`);
    expect((await c.cmd(`SEEN ${msgnum}|1`)).code).toBe(200);
    c.close();
  } else if (proto === 'imap') {
    const c = await flow(keep, 'alice');
    await c.mailboxOpen(room.folder);
    await c.messageFlagsAdd('1', ['\\Seen']);
    await c.logout();
  } else {
    const c = await ChatClient.as(keep.ports.http, 'alice', 'alice-pw');
    await c.join(room.name);
    expect((await c.request({ type: 'seen', room: room.name, msgnum })).type).toBe('sent');
    c.close();
  }
}

/** Does alice see the room's one message as seen through proto? */
async function isSeen(proto: Proto, room: Room): Promise<boolean> {
  if (proto === 'native') {
    const c = await NativeClient.connect(keep.ports.native);
    await c.login('alice', 'alice-pw');
    await c.cmd(`GOTO ${room.name}|`);
    const fresh = (await c.cmd('MSGS NEW||0')).lines;
    c.close();
    return fresh.length === 0;
  }
  if (proto === 'imap') {
    const c = await flow(keep, 'alice');
    await c.mailboxOpen(room.folder, { readOnly: true });
    const m = await c.fetchOne('1', { flags: true });
    await c.logout();
    return Boolean(m && m.flags!.has('\\Seen'));
  }
  const { cookie } = await login(keep.ports.http, 'alice', 'alice-pw');
  const res = await fetch(`http://127.0.0.1:${keep.ports.http}/api/rooms`, { headers: { cookie } });
  const list = (await res.json()) as { rooms: { name: string; unread: number }[] };
  return list.rooms.find((r) => r.name === room.name)!.unread === 0;
}

// NNTP keeps no read state on the server (a newsreader's .newsrc does), so it is not a party here
const SEEN_BY: Proto[] = ['native', 'imap', 'chat'];

describe.each(SEEN_BY)('\\Seen set through %s', (setter: Proto) => {
  it.each(SEEN_BY)('is seen through %s, and unseen before', async (viewer: Proto) => {
    const room = await newRoom();
    const t = token();
    await post(keep, 'native', 'bob', room, { subject: `Seen ${t}`, body: [`${t} to be read`] });
    const c = await NativeClient.connect(keep.ports.native);
    await c.login('bob', 'bob-pw');
    await c.cmd(`GOTO ${room.name}|`);
    const msgnum = Number((await c.cmd('MSGS LAST|1|0')).lines[0]);
    c.close();
    expect(await isSeen(viewer, room)).toBe(false);
    await markSeen(setter, room, msgnum);
    expect(await isSeen(viewer, room)).toBe(true);
  });
});
