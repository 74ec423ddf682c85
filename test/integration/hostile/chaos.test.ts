// Chaos (issue 10): SMTP, native and IMAP clients write while the worker is killed -9 twenty
// times at random moments. Afterwards every write that got a durable acknowledgement (SMTP 250,
// native reply to the command after ENT0, IMAP APPEND OK) is where it was placed, `keepd check`
// is clean, and every client reconnected and kept working.
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';
import { coreOn } from '../../helpers/core-fixture.ts';
import { systemActor, BASE_ROOM } from '../../../src/core/index.ts';

const KILLS = Number(process.env.CHAOS_KILLS ?? 20);
let keep: Keep | undefined;
afterAll(async () => { await keep?.stop(); });

interface Load { acked: string[]; attempts: number; failures: number; afterLastKill: number }
const newLoad = (): Load => ({ acked: [], attempts: 0, failures: 0, afterLastKill: 0 });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function smtpLoad(k: Keep, load: Load, isRunning: () => boolean, killsDone: () => boolean) {
  for (let i = 0; isRunning(); i++) {
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: k.ports.smtp, secure: false, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 5000 });
    load.attempts += 1;
    try {
      await mx.sendMail({ from: 'chaos@example.org', to: 'bob@keep.test', subject: `smtp-${i}`, text: `chaos ${i}` });
      load.acked.push(`smtp-${i}`);
      if (killsDone()) load.afterLastKill += 1;
    } catch {
      load.failures += 1;
      await pause(50);
    } finally {
      mx.close();
    }
  }
}

async function nativeLoad(k: Keep, load: Load, isRunning: () => boolean, killsDone: () => boolean) {
  let c: NativeClient | undefined;
  for (let i = 0; isRunning(); i++) {
    load.attempts += 1;
    try {
      if (!c) {
        c = await NativeClient.connect(k.ports.native, { timeoutMs: 3000 });
        if ((await c.login('alice', 'alice-pw')).code !== 200) throw new Error('login');
        if ((await c.cmd(`GOTO ${BASE_ROOM}`)).code !== 200) throw new Error('goto');
      }
      if ((await c.cmd(`ENT0 1||0|1|native-${i}|`)).code !== 400) throw new Error('ent0');
      c.sendListing([`chaos ${i}`]);
      // one reply per command, in order: this one comes after the post is durable
      if ((await c.cmd('NOOP')).code !== 200) throw new Error('noop');
      load.acked.push(`native-${i}`);
      if (killsDone()) load.afterLastKill += 1;
    } catch {
      load.failures += 1;
      c?.close();
      c = undefined;
      await pause(50);
    }
  }
  c?.close();
}

async function imapLoad(k: Keep, load: Load, isRunning: () => boolean, killsDone: () => boolean) {
  let client: ImapFlow | undefined;
  for (let i = 0; isRunning(); i++) {
    load.attempts += 1;
    try {
      if (!client) {
        client = new ImapFlow({ host: '127.0.0.1', port: k.ports.imap, secure: false, doSTARTTLS: false, auth: { user: 'alice', pass: 'alice-pw' }, logger: false, disableAutoIdle: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 5000 });
        client.on('error', () => { /* reconnected below */ });
        await client.connect();
      }
      const raw = `From: alice@keep.test\r\nTo: alice@keep.test\r\nSubject: imap-${i}\r\nMessage-ID: <imap-${i}.${Date.now()}@chaos>\r\n\r\nchaos ${i}\r\n`;
      const r = await client.append('INBOX', raw);
      if (!r) throw new Error('append');
      load.acked.push(`imap-${i}`);
      if (killsDone()) load.afterLastKill += 1;
    } catch {
      load.failures += 1;
      try { client?.close(); } catch { /* already gone */ }
      client = undefined;
      await pause(50);
    }
  }
  await client?.logout().catch(() => undefined);
}

describe('chaos', () => {
  it(`keeps every acknowledged write through ${KILLS} kill -9s under SMTP, native and IMAP load`, async () => {
    keep = await startKeep({ keepData: true });
    for (const u of ['alice', 'bob']) expect((await keep.cli(['user', 'add', u, '--password', `${u}-pw`])).code).toBe(0);
    let running = true;
    let kills = 0;
    const loads = { smtp: newLoad(), native: newLoad(), imap: newLoad() };
    const isRunning = () => running;
    const killsDone = () => kills >= KILLS;
    const work = [
      smtpLoad(keep, loads.smtp, isRunning, killsDone),
      nativeLoad(keep, loads.native, isRunning, killsDone),
      imapLoad(keep, loads.imap, isRunning, killsDone),
    ];
    // a bound for a hang, not a speed: on a loaded machine each replacement takes seconds to load
    const deadline = Date.now() + 450_000;
    let lastPid = 0;
    const progress = () => Object.values(loads).map((l) => l.acked.length);
    let atLastKill = progress();
    while (kills < KILLS && Date.now() < deadline) {
      // a random moment while a worker is serving: wait for the replacement, then a little more
      const pid = await keep.workerPid().catch(() => undefined);
      // and until every load has had a write acknowledged since the last kill: kills follow
      // progress, not the clock, so a slow machine gets as much work done between them
      if (!pid || pid === lastPid || progress().some((n, i) => n <= atLastKill[i]!)) {
        await pause(50);
        continue;
      }
      await pause(200 + Math.floor(Math.random() * 800));
      try {
        process.kill(pid, 'SIGKILL');
        kills += 1;
        lastPid = pid;
        atLastKill = progress();
      } catch {
        // already gone: the next round kills the new one
      }
    }
    // let every client reconnect and succeed again after the last kill
    const settle = Date.now() + 90_000;
    while (Date.now() < settle && Object.values(loads).some((l) => l.afterLastKill < 3)) await pause(100);
    running = false;
    await Promise.all(work);
    expect(kills).toBe(KILLS);
    for (const [name, l] of Object.entries(loads)) {
      expect(l.acked.length, `${name} acknowledged writes`).toBeGreaterThan(5);
      expect(l.afterLastKill, `${name} reconnected after the last kill`).toBeGreaterThanOrEqual(3);
    }
    expect((await keep.healthz()).restarts).toBeGreaterThanOrEqual(KILLS);
    expect(await keep.stop()).toBe(0);

    const c = coreOn(keep.dataDir);
    try {
      const actor = systemActor('chaos');
      const subjects = (roomnum: number) => new Set(c.core.messages.list(actor, roomnum).map((n) => c.core.messages.get(actor, n).subject));
      const bobInbox = subjects(c.core.rooms.mailbox(c.core.users.get('bob').usernum, 'inbox').roomnum);
      const aliceInbox = subjects(c.core.rooms.mailbox(c.core.users.get('alice').usernum, 'inbox').roomnum);
      const lobby = subjects(c.core.rooms.findByName(actor, BASE_ROOM)!.roomnum);
      for (const s of loads.smtp.acked) expect(bobInbox.has(s), s).toBe(true);
      for (const s of loads.imap.acked) expect(aliceInbox.has(s), s).toBe(true);
      for (const s of loads.native.acked) expect(lobby.has(s), s).toBe(true);
      expect(c.core.check.run().problems).toEqual([]);
    } finally {
      await c.close();
    }
    const check = await keep.cli(['check']);
    expect(check.stdout).toContain('store is consistent');
    console.log(`chaos: ${KILLS} kills; acknowledged smtp ${loads.smtp.acked.length}, native ${loads.native.acked.length}, imap ${loads.imap.acked.length}; failed attempts ${loads.smtp.failures + loads.native.failures + loads.imap.failures}`);
  }, 900_000);
});
