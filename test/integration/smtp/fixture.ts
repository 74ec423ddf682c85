// Shared set-up for the SMTP tests: a store seeded with users (one with an alias), a room with
// a list address, keepd started on it, and a reader that opens the same LMDB environment
// (several processes may) to check what was stored, through core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import nodemailer, { type Transporter } from 'nodemailer';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { Store } from '../../../src/store/index.ts';
import { createCore, systemActor, type Core } from '../../../src/core/index.ts';

export const DOMAIN = 'keep.test';
export const OTHER_LOCAL = 'keep2.test';
const settings = { domain: DOMAIN, localDomains: [OTHER_LOCAL], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 64 * 1024, newUserLevel: 3, softDeleteMs: 1000 };

export interface MailKeep {
  keep: Keep;
  core: Core;
  /** msgnums in a user's mailbox by role, or in a named room */
  mailbox(user: string, role?: string): number[];
  room(name: string): number[];
  raw(msgnum: number): string;
  refresh(): void;
  /** poll (bounded) until fn returns a truthy value */
  until<T>(fn: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  mx(): Transporter;
  submission(user: string, password: string, extra?: object): Transporter;
  stop(): Promise<void>;
}

/** Seed alice (alias al@keep.test), bob, carol and room Kitchen (list address kitchen), then start keepd. */
export async function startMailKeep(opts: { env?: Record<string, string>; maxMessageSize?: number } = {}): Promise<MailKeep> {
  const dataDir = mkdtempSync(join(tmpdir(), 'keep-smtp-'));
  const store = Store.open({ dataDir });
  const core = createCore({ store, log: pino({ level: 'silent' }), settings: { ...settings, maxMessageSize: opts.maxMessageSize ?? settings.maxMessageSize } });
  const system = systemActor('test');
  await core.seed({ name: 'admin', password: 'admin-secret' });
  await core.users.create(system, { name: 'alice', password: 'alice-pw', addresses: ['al@keep.test'] });
  await core.users.create(system, { name: 'bob', password: 'bob-pw' });
  await core.users.create(system, { name: 'carol', password: 'carol-pw' });
  const kitchen = await core.rooms.create(system, { name: 'Kitchen', kind: 'public' });
  await core.rooms.update(system, kitchen.roomnum, { listAddress: 'kitchen' });
  const keep = await startKeep({
    dataDir,
    env: { KEEP_LOCAL_DOMAINS: OTHER_LOCAL, KEEP_MAX_MESSAGE_SIZE: String(opts.maxMessageSize ?? settings.maxMessageSize), KEEP_QUEUE_INTERVAL: '200', ...opts.env },
  });
  const transports: Transporter[] = [];
  const refresh = () => store.env.resetReadTxn();
  const mk: MailKeep = {
    keep, core, refresh,
    mailbox(user, role = 'inbox') {
      refresh();
      const u = core.users.get(user);
      return core.messages.list(system, core.rooms.mailbox(u.usernum, role).roomnum);
    },
    room(name) {
      refresh();
      return core.messages.list(system, core.rooms.findByName(system, name)!.roomnum);
    },
    raw(msgnum) {
      refresh();
      return core.messages.raw(system, msgnum).toString('utf8');
    },
    async until(fn, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        refresh();
        const v = fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    mx() {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.smtp, secure: false, ignoreTLS: true, name: 'client.example' });
      transports.push(t);
      return t;
    },
    submission(user, password, extra = {}) {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.submission, secure: false, auth: { user, pass: password }, tls: { rejectUnauthorized: false }, name: 'client.example', ...extra });
      transports.push(t);
      return t;
    },
    async stop() {
      for (const t of transports) t.close();
      await keep.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return mk;
}

/** A small RFC 5322 message. */
export function message(o: { from: string; to: string; subject: string; body?: string; extraHeaders?: string }): string {
  return `From: ${o.from}\r\nTo: ${o.to}\r\nSubject: ${o.subject}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@client.example>\r\n${o.extraHeaders ?? ''}\r\n${o.body ?? 'Hello.\r\n'}`;
}
