// MTA-STS lookups for outbound delivery go through our resolver and are cached, a domain
// without a policy included (so it costs one TXT lookup, not one per message).
import { describe, expect, it } from 'vitest';
import { createMtaSts } from '../../../../src/protocols/smtp/outbound/mta-sts.ts';

describe('createMtaSts', () => {
  it('treats a domain without a _mta-sts record as mode none, allowing every MX, and caches that', async () => {
    const asked: string[] = [];
    const sts = createMtaSts(async (name, type) => {
      asked.push(`${type} ${name}`);
      throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
    });
    const d = await sts.policyFor('Plain.Test');
    expect(d.mode).toBe('none');
    expect(d.allows('mx.anything.test')).toBe(true);
    await sts.policyFor('plain.test');
    expect(asked).toEqual(['TXT _mta-sts.plain.test']);
  });

  it('falls back to none when the policy host has no address (no policy can be fetched)', async () => {
    const sts = createMtaSts(async (name, type) => {
      if (type === 'TXT' && name === '_mta-sts.strict.test') return [['v=STSv1; id=20260101']];
      throw Object.assign(new Error('no such name'), { code: 'ENODATA' });
    });
    expect((await sts.policyFor('strict.test')).mode).toBe('none');
  });
});

describe('MTA-STS enforce in outbound delivery', () => {
  const enforce = createMtaSts(async () => [], async () => ({
    status: 'found', policy: { id: '1', mode: 'enforce', mx: ['mx1.strict.test', '*.pool.strict.test'], maxAge: 86400, expires: new Date(Date.now() + 86400_000).toISOString() },
  }));

  it('allows only the MX hosts the policy names', async () => {
    const d = await enforce.policyFor('strict.test');
    expect(d.mode).toBe('enforce');
    expect(d.allows('mx1.strict.test')).toBe(true);
    expect(d.allows('a.pool.strict.test')).toBe(true);
    expect(d.allows('mx.attacker.test')).toBe(false);
  });

  it('does not deliver (temporary failure) when no MX host matches the policy', async () => {
    const { sendGroup } = await import('../../../../src/protocols/smtp/outbound/send.ts');
    const resolve = async (name: string, type: string) => {
      if (type === 'MX' && name === 'strict.test') return [{ exchange: 'mx.attacker.test', priority: 10 }];
      throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
    };
    const out = await sendGroup({ routes: new Map(), heloName: 'keep.test', timeoutMs: 1000, resolve, mtaSts: enforce }, { sender: 'a@keep.test', recipients: ['x@strict.test'] }, Buffer.from('Subject: x\r\n\r\nhi\r\n'));
    expect(out.outcomes.get('x@strict.test')).toMatchObject({ kind: 'temporary', error: expect.stringContaining('MTA-STS') });
  });
});
