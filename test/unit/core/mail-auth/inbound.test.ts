// The enforce-mode verdict over mailauth's results, and the removal of forged
// Authentication-Results that claim our authserv-id.
import { describe, expect, it } from 'vitest';
import type { AuthenticateResult } from 'mailauth';
import { decide, stripOwnAuthResults } from '../../../../src/core/mail-auth/inbound.ts';

type Dkim = { signingDomain: string; result: string };
function result(o: { from: string; dkim?: Dkim[]; spf?: string; dmarc?: { result: string; policy: string; domain: string } }): AuthenticateResult {
  return {
    dkim: { headerFrom: [o.from], envelopeFrom: false, results: (o.dkim ?? []).map((d) => ({ signingDomain: d.signingDomain, status: { result: d.result }, info: '' })) },
    spf: { domain: '', 'client-ip': '', status: { result: o.spf ?? 'none' }, header: '', info: '' },
    dmarc: o.dmarc ? { domain: o.dmarc.domain, policy: o.dmarc.policy, p: o.dmarc.policy, sp: o.dmarc.policy, status: { result: o.dmarc.result }, alignment: { spf: { result: false, strict: false }, dkim: { result: false, strict: false } }, info: '' } : false,
    arc: false, bimi: false, headers: '',
  } as unknown as AuthenticateResult;
}

const ctx = (known: string[] = []) => ({ localDomains: ['keep.test', 'keep2.test'], knownReject: new Map(known.map((d) => [d, 0])) });

describe('decide (KEEP_INBOUND_AUTH=enforce)', () => {
  it.each([
    ['own domain, no signature', result({ from: 'admin@keep.test' }), 'reject'],
    ['own domain, signed by someone else', result({ from: 'admin@keep.test', dkim: [{ signingDomain: 'evil.test', result: 'pass' }] }), 'reject'],
    ['own domain, our signature failing', result({ from: 'admin@keep2.test', dkim: [{ signingDomain: 'keep2.test', result: 'fail' }] }), 'reject'],
    ['own domain, our valid signature', result({ from: 'alice@keep.test', dkim: [{ signingDomain: 'keep.test', result: 'pass' }] }), 'accept'],
    ['DMARC fail, p=reject', result({ from: 'x@bank.test', dmarc: { result: 'fail', policy: 'reject', domain: 'bank.test' } }), 'reject'],
    ['DMARC fail, p=reject, SPF lookup timed out', result({ from: 'x@bank.test', spf: 'temperror', dmarc: { result: 'fail', policy: 'reject', domain: 'bank.test' } }), 'tempfail'],
    ['DMARC fail, p=quarantine', result({ from: 'x@shop.test', dmarc: { result: 'fail', policy: 'quarantine', domain: 'shop.test' } }), 'junk'],
    ['DMARC fail, p=none', result({ from: 'x@blog.test', dmarc: { result: 'fail', policy: 'none', domain: 'blog.test' } }), 'accept'],
    ['DMARC pass', result({ from: 'x@bank.test', dmarc: { result: 'pass', policy: 'reject', domain: 'bank.test' } }), 'accept'],
    ['DMARC temperror, policy unknown', result({ from: 'x@bank.test', dmarc: { result: 'temperror', policy: 'none', domain: 'bank.test' } }), 'accept'],
    ['no DMARC record', result({ from: 'x@plain.test' }), 'accept'],
  ])('%s: %s', (_name, r, action) => {
    expect(decide(r, ctx()).action).toBe(action);
  });

  it('answers tempfail to a DMARC temperror for a domain known to publish p=reject', () => {
    const r = result({ from: 'x@bank.test', dmarc: { result: 'temperror', policy: 'none', domain: 'bank.test' } });
    expect(decide(r, ctx(['bank.test']))).toMatchObject({ action: 'tempfail', reason: expect.stringMatching(/^4\.7\.5 /) });
  });

  it('names 5.7.1 in its refusals', () => {
    expect(decide(result({ from: 'admin@keep.test' }), ctx()).reason).toMatch(/^5\.7\.1 /);
    expect(decide(result({ from: 'x@bank.test', dmarc: { result: 'fail', policy: 'reject', domain: 'bank.test' } }), ctx()).reason).toMatch(/^5\.7\.1 /);
  });
});

describe('stripOwnAuthResults', () => {
  const body = 'Subject: hi\r\n\r\nAuthentication-Results: keep.test; in the body stays\r\n';
  it.each([
    ['ours', 'Authentication-Results: keep.test; dkim=pass\r\n', ''],
    ['ours, folded, other case', 'Authentication-Results: KEEP.TEST;\r\n\tspf=pass\r\n', ''],
    ['ours with a version', 'Authentication-Results: keep.test 1; spf=pass\r\n', ''],
    ['another server\'s', 'Authentication-Results: mx.other.test; spf=pass\r\n', 'Authentication-Results: mx.other.test; spf=pass\r\n'],
    ['a look-alike', 'Authentication-Results: keep.test.evil.test; spf=pass\r\n', 'Authentication-Results: keep.test.evil.test; spf=pass\r\n'],
  ])('%s', (_name, field, kept) => {
    const out = stripOwnAuthResults(Buffer.from(`Received: x\r\n${field}${body}`), 'keep.test').toString();
    expect(out).toBe(`Received: x\r\n${kept}${body}`);
  });
});
