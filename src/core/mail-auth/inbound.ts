// Checks of mail arriving at the MX: SPF (RFC 7208), DKIM (RFC 6376, RFC 8463), DMARC
// (RFC 7489) and ARC (RFC 8617) by mailauth, through our resolver, and what to do about them.
// Keep is the authority for its own domains: their DKIM keys are answered from the key store,
// whatever DNS says, and mail whose From is one of them must carry a valid signature by one.
//
// The verdict, under KEEP_INBOUND_AUTH=enforce:
//   From a local domain without our valid signature     → reject (550 5.7.1)
//   DMARC fail, policy reject                           → reject (550 5.7.1)
//   DMARC fail, policy quarantine                       → junk (the recipient's Junk)
//   DMARC could not be evaluated (DNS temperror) for a
//   domain this worker has seen publish p=reject, or a
//   p=reject failure where a SPF/DKIM lookup timed out  → tempfail (451 4.7.5)
//   anything else, temperror included                   → accept, tagged
// Under `tag` every message is accepted with the header; under `off` nothing is checked.
import type { AuthenticateResult } from 'mailauth';
import { mailauth } from './library.ts';
import type { DkimKeys } from './dkim-keys.ts';
import { dkimRecordText } from './dkim-keys.ts';
import type { Resolve } from './resolver.ts';

export type InboundMode = 'enforce' | 'tag' | 'off';

export interface InboundInput {
  raw: Buffer;
  ip: string;
  helo: string;
  /** MAIL FROM; '' for the null sender */
  sender: string;
}

export interface InboundVerdict {
  action: 'accept' | 'junk' | 'reject' | 'tempfail';
  /** said to the client on reject/tempfail, logged otherwise */
  reason?: string;
  /** the header fields to put on top of the message (CRLF-terminated), empty when off */
  header: string;
  /** one word per check, for logs and metrics */
  results: { spf: string; dkim: string; dmarc: string; arc: string };
}

export interface InboundAuthOptions {
  mode: InboundMode;
  resolve: Resolve;
  /** our authserv-id (RFC 8601 §2.5): the primary domain */
  authservId: string;
  localDomains: string[];
  keys: DkimKeys;
}

const KNOWN_REJECT_MAX = 10_000;

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Our own domains' DKIM keys from the key store; every other name through the resolver. */
export function ownKeysFirst(resolve: Resolve, keys: DkimKeys, localDomains: string[]): Resolve {
  return async (name, rrtype) => {
    const m = /^([^.]+)\._domainkey\.(.+?)\.?$/i.exec(name);
    if (rrtype === 'TXT' && m && localDomains.includes(m[2]!.toLowerCase())) {
      await keys.settled();
      const key = keys.all().find((k) => k.domain === m[2]!.toLowerCase() && k.selector.toLowerCase() === m[1]!.toLowerCase());
      if (!key) throw Object.assign(new Error(`no DKIM key ${name}`), { code: 'ENOTFOUND' });
      return [[dkimRecordText(key)]];
    }
    return resolve(name, rrtype);
  };
}

export function createInboundAuth(opts: InboundAuthOptions) {
  const resolve = ownKeysFirst(opts.resolve, opts.keys, opts.localDomains);
  /** sender domains seen publishing p=reject, so a DNS timeout does not let their forgeries in */
  const knownReject = new Map<string, number>();

  const remember = (r: AuthenticateResult) => {
    if (!r.dmarc || !r.dmarc.domain) return;
    const isReject = r.dmarc.policy === 'reject' || r.dmarc.p === 'reject';
    if (!isReject) return;
    knownReject.delete(r.dmarc.domain);
    if (knownReject.size >= KNOWN_REJECT_MAX) knownReject.delete(knownReject.keys().next().value!);
    knownReject.set(r.dmarc.domain, Date.now());
  };

  return {
    async check(input: InboundInput): Promise<InboundVerdict> {
      if (opts.mode === 'off') return { action: 'accept', header: '', results: { spf: 'off', dkim: 'off', dmarc: 'off', arc: 'off' } };
      const { authenticate } = await mailauth();
      const r = await authenticate(input.raw, {
        ip: input.ip, helo: input.helo, sender: input.sender, mta: opts.authservId,
        resolver: resolve as never, disableBimi: true,
      });
      remember(r);
      const results = summary(r);
      const header = r.headers.replace(/\r?\n/g, '\r\n');
      if (opts.mode === 'tag') return { action: 'accept', header, results };
      return { ...decide(r, { localDomains: opts.localDomains, knownReject }), header, results };
    },
  };
}

export type InboundAuth = ReturnType<typeof createInboundAuth>;

function summary(r: AuthenticateResult): InboundVerdict['results'] {
  const dkim = r.dkim.results.length ? r.dkim.results.map((x) => x.status.result).join(',') : 'none';
  return { spf: r.spf ? r.spf.status.result : 'none', dkim, dmarc: r.dmarc ? r.dmarc.status.result : 'none', arc: r.arc ? r.arc.status.result : 'none' };
}

/** The enforce-mode decision over mailauth's results (pure; exported for its table test). */
export function decide(r: AuthenticateResult, ctx: { localDomains: string[]; knownReject: Map<string, number> }): Pick<InboundVerdict, 'action' | 'reason'> {
  const fromDomains = r.dkim.headerFrom.map(domainOf);
  const ownFrom = fromDomains.find((d) => ctx.localDomains.includes(d));
  if (ownFrom) {
    const isOurs = r.dkim.results.some((x) => x.status.result === 'pass' && ctx.localDomains.includes(x.signingDomain.toLowerCase()));
    if (!isOurs) return { action: 'reject', reason: `5.7.1 Mail from ${ownFrom} must be sent through this server (no valid signature of ours)` };
    return { action: 'accept' };
  }
  const dmarc = r.dmarc;
  if (!dmarc) return { action: 'accept' };
  const result = dmarc.status.result;
  const policy = dmarc.policy;
  const didTimeOut = (r.spf && r.spf.status.result === 'temperror') || r.dkim.results.some((x) => x.status.result === 'temperror');
  if (result === 'temperror' && ctx.knownReject.has(dmarc.domain)) {
    return { action: 'tempfail', reason: `4.7.5 DMARC for ${dmarc.domain} cannot be checked now (DNS); try again later` };
  }
  if (result !== 'fail') return { action: 'accept' };
  if (policy === 'reject') {
    if (didTimeOut) return { action: 'tempfail', reason: `4.7.5 DMARC for ${dmarc.domain} could not be fully checked (DNS); try again later` };
    return { action: 'reject', reason: `5.7.1 Rejected by the DMARC policy of ${dmarc.domain}` };
  }
  if (policy === 'quarantine') return { action: 'junk', reason: `DMARC policy of ${dmarc.domain}: quarantine` };
  return { action: 'accept' };
}

/**
 * Remove header fields named `Authentication-Results` whose authserv-id is ours (RFC 8601 §5):
 * nobody outside may speak for us. Only the top header block is looked at.
 */
export function stripOwnAuthResults(raw: Buffer, authservId: string): Buffer {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const headerEnd = m ? m.index + m[0].length : text.length;
  const header = text.slice(0, headerEnd);
  if (!/^authentication-results[ \t]*:/im.test(header)) return raw;
  const id = authservId.toLowerCase();
  // a field is its first line and every continuation line (starting with space or tab)
  const fields = header.match(/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|$)/g) ?? [];
  const kept = fields.filter((f) => {
    const fm = /^authentication-results[ \t]*:\s*(?:\([^)]*\)\s*)?([^\s;]+)/i.exec(f);
    return !(fm && fm[1]!.toLowerCase() === id);
  });
  return Buffer.concat([Buffer.from(kept.join(''), 'latin1'), raw.subarray(Buffer.byteLength(header, 'latin1'))]);
}
