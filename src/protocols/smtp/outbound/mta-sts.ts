// MTA-STS (RFC 8461) for outbound delivery: a recipient domain's policy, fetched by mailauth
// over HTTPS through our resolver and cached in this worker for its max_age. Under `enforce`
// only the MX hosts the policy names are used, and only over TLS with a certificate valid for
// the MX name; `testing` and `none` deliver as usual (opportunistic STARTTLS).
import { getPolicy, validateMx } from 'mailauth/lib/mta-sts.js';
import type { MTASTSPolicy } from 'mailauth';
import type { Resolve } from '../../../core/mail-auth/resolver.ts';

export interface StsDecision {
  mode: 'enforce' | 'testing' | 'none';
  /** is this MX host allowed (always true unless enforced) */
  allows(mx: string): boolean;
}

const MAX_CACHED = 10_000;
const NEGATIVE_TTL_MS = 3600 * 1000;

/** `fetchPolicy` is mailauth's getPolicy (DNS, then HTTPS); a test may hand in its own. */
export function createMtaSts(resolve: Resolve, fetchPolicy: typeof getPolicy = getPolicy) {
  const cache = new Map<string, MTASTSPolicy>();
  return {
    async policyFor(domain: string): Promise<StsDecision> {
      const d = domain.toLowerCase();
      const known = cache.get(d);
      const isFresh = known?.expires !== undefined && new Date(known.expires) > new Date();
      const policy = isFresh ? known! : (await fetchPolicy(d, known, { resolver: resolve as never })).policy;
      // no policy is cached too (an hour), so a domain without one costs one TXT lookup an hour
      policy.expires ??= new Date(Date.now() + NEGATIVE_TTL_MS).toISOString();
      if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      cache.set(d, policy);
      const mode = policy.mode === 'enforce' || policy.mode === 'testing' ? policy.mode : 'none';
      return { mode, allows: (mx) => mode !== 'enforce' || validateMx(mx, policy).valid };
    },
  };
}

export type MtaSts = ReturnType<typeof createMtaSts>;
