// DKIM signing of everything that leaves Keep (RFC 6376; Ed25519 per RFC 8463): one RSA-SHA256
// and one Ed25519-SHA256 signature by the active keys of the From domain when it is local (so
// DMARC aligns), else of the envelope sender's domain, else of the primary domain. Signing
// happens here, at send time, so every way into the queue (submission, native mail, bounces,
// delay notices, list mail) is covered by one signer. mailauth does the canonicalization.
import { mailauth } from '../../../core/mail-auth/library.ts';
import type { DkimKeys } from '../../../core/mail-auth/dkim-keys.ts';

export interface SignOptions {
  keys: DkimKeys;
  localDomains: string[];
  primary: string;
}

const domainOf = (address: string | undefined) => (address && address.includes('@') ? address.slice(address.lastIndexOf('@') + 1).toLowerCase() : undefined);

/** The domain whose keys sign: From's if local, else the envelope sender's if local, else the primary. */
export function signingDomain(o: Pick<SignOptions, 'localDomains' | 'primary'>, from: string | undefined, sender: string): string {
  for (const d of [domainOf(from), domainOf(sender)]) if (d && o.localDomains.includes(d)) return d;
  return o.primary;
}

/** The message with its DKIM-Signature headers on top; unchanged when the domain has no keys. */
export async function signMessage(o: SignOptions, raw: Buffer, who: { from?: string; sender: string }): Promise<Buffer> {
  const domain = signingDomain(o, who.from, who.sender);
  await o.keys.settled();
  const keys = o.keys.active(domain);
  if (keys.length === 0) return raw;
  const { dkimSign } = await mailauth();
  const result = await dkimSign(raw, {
    signingDomain: domain, selector: keys[0]!.selector, privateKey: keys[0]!.privateKeyPem,
    signatureData: keys.map((k) => ({ signingDomain: domain, selector: k.selector, privateKey: k.privateKeyPem, algorithm: k.algorithm })),
  });
  if (result.errors.length) throw new Error(`DKIM signing failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return Buffer.concat([Buffer.from(result.signatures), raw]);
}
