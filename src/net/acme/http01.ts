// HTTP-01 (RFC 8555 §8.3): while an order is being validated, the HTTP listener answers
// /.well-known/acme-challenge/<token> with the key authorization. Shared by the ACME manager,
// which sets tokens, and the HTTP translator, which serves them.
export const CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

export interface AcmeRenewalStatus {
  directory: string;
  lastError?: string;
  failures: number;
  nextAttempt: string;
}

export class AcmeHttp {
  private tokens = new Map<string, string>();
  /** the manager's state for /healthz, when ACME is on */
  renewal: (() => AcmeRenewalStatus) | undefined;

  set(token: string, keyAuthorization: string): void {
    this.tokens.set(token, keyAuthorization);
  }

  delete(token: string): void {
    this.tokens.delete(token);
  }

  /** The body for a request path, or undefined when it is no challenge we are answering. */
  answer(path: string): string | undefined {
    if (!path.startsWith(CHALLENGE_PREFIX)) return undefined;
    return this.tokens.get(path.slice(CHALLENGE_PREFIX.length));
  }
}
