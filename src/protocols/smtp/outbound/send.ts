// One delivery attempt for one message to all its recipients in one domain: one SMTP
// transaction (RFC 5321 §3.3: one MAIL FROM, a RCPT TO per recipient, one DATA) to the
// configured route, or to the domain's MX hosts from our resolver in preference order (RFC 5321
// §5.1), falling back to the domain itself. STARTTLS whenever offered; under an MTA-STS enforce
// policy only the policy's MX hosts, and only over verified TLS. The outcome is per recipient,
// and says whether the session was encrypted and what the remote answered.
import { isIP } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Resolve } from '../../../core/mail-auth/resolver.ts';
import { isNoRecord } from '../../../core/mail-auth/resolver.ts';
import type { Route, Routes } from './routes.ts';
import { routeFor } from './routes.ts';
import type { MtaSts } from './mta-sts.ts';

export type Outcome =
  | { kind: 'sent'; mta: string; response: string }
  | { kind: 'temporary'; error: string; mta?: string }
  | { kind: 'permanent'; error: string; mta?: string };

export interface Attempt {
  /** per recipient address, as given */
  outcomes: Map<string, Outcome>;
  /** the session to the host that decided was encrypted (STARTTLS or implicit TLS) */
  isTls: boolean;
}

export interface SendOptions {
  routes: Routes;
  /** our name in EHLO */
  heloName: string;
  timeoutMs: number;
  resolve: Resolve;
  mtaSts: MtaSts;
}

interface Hop extends Route {
  name: string;
  /** connect here (an address from our resolver) while greeting and verifying `name` */
  connectTo?: string;
  requireVerifiedTls?: boolean;
}

type SmtpError = SMTPConnection.SMTPError & { recipient?: string; rejectedErrors?: SmtpError[] };

const all = (recipients: string[], o: Outcome): Attempt => ({ outcomes: new Map(recipients.map((r) => [r, o])), isTls: false });

export async function sendGroup(opts: SendOptions, env: { sender: string; recipients: string[] }, raw: Buffer): Promise<Attempt> {
  const first = env.recipients[0] ?? '';
  const domain = first.slice(first.lastIndexOf('@') + 1);
  const route = routeFor(opts.routes, domain);
  let hops: Hop[];
  if (route) hops = [{ ...route, name: `${route.host}:${route.port}` }];
  else {
    const found = await mxHops(opts, domain);
    if (!Array.isArray(found)) return all(env.recipients, found);
    hops = found;
  }
  let last: Attempt = all(env.recipients, { kind: 'temporary', error: `no mail host for ${domain}` });
  for (const hop of hops) {
    last = await attempt(opts, hop, env, raw);
    // a host that answered decides; a host we could not talk to hands over to the next one
    const isUnreached = [...last.outcomes.values()].every((o) => o.kind === 'temporary' && o.mta === undefined);
    if (!isUnreached) return last;
  }
  return last;
}

function connect(conn: SMTPConnection): Promise<void> {
  return new Promise((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
}

function login(conn: SMTPConnection, auth: { user: string; pass: string }): Promise<void> {
  return new Promise((resolve, reject) => conn.login(auth, (err) => (err ? reject(err) : resolve())));
}

function send(conn: SMTPConnection, env: { sender: string; recipients: string[] }, raw: Buffer): Promise<SMTPConnection.SentMessageInfo> {
  return new Promise((resolve, reject) => conn.send({ from: env.sender, to: env.recipients }, raw, (err, info) => (err ? reject(err) : resolve(info))));
}

function classify(err: SmtpError, mta: string): Outcome {
  const code = err.responseCode;
  if (code === undefined) return { kind: 'temporary', error: `${mta}: ${err.code ?? 'error'}: ${err.message}` };
  return { kind: code >= 500 ? 'permanent' : 'temporary', error: err.response ?? err.message, mta };
}

async function attempt(opts: SendOptions, hop: Hop, env: { sender: string; recipients: string[] }, raw: Buffer): Promise<Attempt> {
  const conn = new SMTPConnection({
    host: hop.connectTo ?? hop.host, port: hop.port, secure: hop.port === 465, name: opts.heloName,
    // opportunistic STARTTLS, as MTAs do (an MX certificate is rarely verifiable), unless
    // MTA-STS enforces verified TLS for this domain
    ...(hop.requireVerifiedTls ? { requireTLS: true } : { opportunisticTLS: true }),
    tls: { rejectUnauthorized: hop.requireVerifiedTls === true, ...(isIP(hop.host) ? {} : { servername: hop.host }) },
    connectionTimeout: opts.timeoutMs, greetingTimeout: opts.timeoutMs, socketTimeout: opts.timeoutMs * 2,
  });
  // a socket error (refused, reset, timed out) reaches only the 'error' event, not the callback
  // of the step in progress, so every step races it
  let fail: (err: Error) => void = () => undefined;
  const broken = new Promise<never>((_resolve, reject) => { fail = reject; });
  broken.catch(() => undefined);
  conn.on('error', (err) => fail(err));
  conn.once('end', () => fail(Object.assign(new Error('connection closed'), { code: 'ECONNECTION' })));
  const step = <T>(p: Promise<T>) => Promise.race([p, broken]);
  const outcomes = new Map<string, Outcome>();
  try {
    await step(connect(conn));
    if (hop.auth) await step(login(conn, hop.auth));
    const info = await step(send(conn, env, raw));
    for (const r of info.accepted) outcomes.set(r, { kind: 'sent', mta: hop.name, response: info.response });
    for (const e of (info.rejectedErrors ?? []) as SmtpError[]) if (e.recipient) outcomes.set(e.recipient, classify(e, hop.name));
    conn.quit();
  } catch (e) {
    const err = e as SmtpError;
    for (const r of err.rejectedErrors ?? []) if (r.recipient) outcomes.set(r.recipient, classify(r, hop.name));
    const rest = classify(err, hop.name);
    for (const r of env.recipients) if (!outcomes.has(r)) outcomes.set(r, rest);
    conn.close();
  }
  // accepted addresses may come back normalised; anything unaccounted for counts as not sent
  for (const r of env.recipients) if (!outcomes.has(r)) outcomes.set(r, { kind: 'temporary', error: `${hop.name}: no reply for this recipient`, mta: hop.name });
  return { outcomes, isTls: conn.secure };
}

/** MX hosts in preference order, filtered by MTA-STS; no MX means the domain itself (implicit MX, RFC 5321 §5.1). */
async function mxHops(opts: SendOptions, domain: string): Promise<Hop[] | Outcome> {
  let names: string[];
  try {
    const mx = await opts.resolve(domain, 'MX') as { exchange: string; priority: number }[];
    if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) {
      return { kind: 'permanent', error: `550 5.1.10 ${domain} accepts no mail (null MX, RFC 7505)` };
    }
    names = mx.sort((a, b) => a.priority - b.priority).map((m) => m.exchange.replace(/\.$/, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENODATA') names = [domain];
    else if (code === 'ENOTFOUND') return { kind: 'permanent', error: `550 5.1.2 domain ${domain} does not exist` };
    else return { kind: 'temporary', error: `DNS lookup for ${domain} failed: ${code ?? (e as Error).message}` };
  }
  const sts = await opts.mtaSts.policyFor(domain);
  const allowed = names.filter((n) => sts.allows(n));
  if (allowed.length === 0) return { kind: 'temporary', error: `no MX host of ${domain} matches its MTA-STS policy (RFC 8461 §4.2)` };
  const hops: Hop[] = [];
  for (const name of allowed) {
    const address = await addressOf(opts.resolve, name);
    if (address) hops.push({ host: name, port: 25, name, connectTo: address, requireVerifiedTls: sts.mode === 'enforce' });
  }
  return hops.length ? hops : { kind: 'temporary', error: `no address for the MX hosts of ${domain}` };
}

/** The first IPv4, else IPv6, address of a host through our resolver (an IP literal is itself). */
async function addressOf(resolve: Resolve, host: string): Promise<string | undefined> {
  if (isIP(host)) return host;
  for (const type of ['A', 'AAAA']) {
    try {
      const addrs = await resolve(host, type) as string[];
      if (addrs.length) return addrs[0];
    } catch (err) {
      if (!isNoRecord(err)) return undefined;
    }
  }
  return undefined;
}
