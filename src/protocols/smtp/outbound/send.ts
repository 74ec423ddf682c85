// One delivery attempt with nodemailer: to the configured route, or to the recipient domain's
// MX hosts from DNS in preference order (RFC 5321 §5.1), falling back to the domain itself.
// Classifies the outcome: sent, temporary (4xx, network, DNS trouble) or permanent (5xx).
import { promises as dns } from 'node:dns';
import nodemailer from 'nodemailer';
import type { Route, Routes } from './routes.ts';
import { routeFor } from './routes.ts';

export type Outcome =
  | { kind: 'sent'; mta: string; response: string }
  | { kind: 'temporary'; error: string; mta?: string }
  | { kind: 'permanent'; error: string; mta?: string };

export interface SendOptions {
  routes: Routes;
  /** our name in EHLO */
  heloName: string;
  timeoutMs: number;
}

interface Hop extends Route { name: string }

type MailError = Error & { responseCode?: number; response?: string; code?: string; rejectedErrors?: MailError[] };

export async function sendOne(opts: SendOptions, env: { sender: string; recipient: string }, raw: Buffer): Promise<Outcome> {
  const domain = env.recipient.slice(env.recipient.lastIndexOf('@') + 1);
  const route = routeFor(opts.routes, domain);
  let hops: Hop[];
  if (route) hops = [{ ...route, name: `${route.host}:${route.port}` }];
  else {
    const found = await mxHops(domain);
    if ('kind' in found) return found;
    hops = found;
  }
  let last: Outcome = { kind: 'temporary', error: `no mail host for ${domain}` };
  for (const hop of hops) {
    last = await attempt(opts, hop, env, raw);
    // a host that answered decides; a host we could not talk to hands over to the next one
    if (last.kind !== 'temporary' || last.mta !== undefined) return last;
  }
  return last;
}

async function attempt(opts: SendOptions, hop: Hop, env: { sender: string; recipient: string }, raw: Buffer): Promise<Outcome> {
  const transport = nodemailer.createTransport({
    host: hop.host, port: hop.port, secure: hop.port === 465, name: opts.heloName,
    // opportunistic STARTTLS, as MTAs do: an MX certificate is rarely verifiable
    tls: { rejectUnauthorized: false },
    connectionTimeout: opts.timeoutMs, greetingTimeout: opts.timeoutMs, socketTimeout: opts.timeoutMs * 2,
    ...(hop.auth ? { auth: hop.auth } : {}),
  });
  try {
    const info = await transport.sendMail({ envelope: { from: env.sender, to: [env.recipient] }, raw });
    return { kind: 'sent', mta: hop.name, response: String(info.response ?? '') };
  } catch (e) {
    const err = e as MailError;
    const inner = err.rejectedErrors?.[0] ?? err;
    const code = inner.responseCode ?? err.responseCode;
    const text = inner.response ?? err.response ?? err.message;
    if (code === undefined) return { kind: 'temporary', error: `${hop.name}: ${err.code ?? 'error'}: ${err.message}` };
    return { kind: code >= 500 ? 'permanent' : 'temporary', error: text, mta: hop.name };
  } finally {
    transport.close();
  }
}

/** MX hosts in preference order; no MX means the domain itself (implicit MX, RFC 5321 §5.1). */
async function mxHops(domain: string): Promise<Hop[] | Outcome> {
  try {
    const mx = await dns.resolveMx(domain);
    if (mx.length === 1 && (mx[0]!.exchange === '' || mx[0]!.exchange === '.')) {
      return { kind: 'permanent', error: `550 5.1.10 ${domain} accepts no mail (null MX, RFC 7505)` };
    }
    return mx.sort((a, b) => a.priority - b.priority).map((m) => ({ host: m.exchange, port: 25, name: m.exchange }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENODATA') return [{ host: domain, port: 25, name: domain }];
    if (code === 'ENOTFOUND') return { kind: 'permanent', error: `550 5.1.2 domain ${domain} does not exist` };
    return { kind: 'temporary', error: `DNS lookup for ${domain} failed: ${code ?? (e as Error).message}` };
  }
}
