// Who is at the other end of an HTTP request: the peer, or, when the peer is one of
// KEEP_TRUSTED_PROXIES, the client its X-Forwarded-For names (so the login throttle and the
// per-address caps see real clients, not the proxy), and whether the client's leg is TLS.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isLoopback } from '../../net/loopback.ts';

export interface Client {
  /** the client's address */
  address: string;
  /** the request reached us (or the trusted proxy) over TLS */
  isSecure: boolean;
  /** the peer is a trusted proxy */
  isProxied: boolean;
}

/** '::ffff:127.0.0.1' → '127.0.0.1': one spelling per address, for keys and comparisons. */
export const plainAddress = (a: string): string => a.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

export class ClientResolver {
  private readonly trusted: Set<string>;

  constructor(trustedProxies: string[]) {
    this.trusted = new Set(trustedProxies.map(plainAddress));
  }

  isTrusted(peer: string | undefined): boolean {
    return peer !== undefined && this.trusted.has(plainAddress(peer));
  }

  /**
   * The client of a request. X-Forwarded-For is read right to left, skipping trusted proxies: the
   * first address that is not one is the client (anything left of it could be forged by it).
   */
  of(req: IncomingMessage): Client {
    const peer = plainAddress(req.socket.remoteAddress ?? 'unknown');
    const isTls = (req.socket as Partial<TLSSocket>).encrypted === true;
    if (!this.trusted.has(peer)) return { address: peer, isSecure: isTls, isProxied: false };
    const hops = headerList(req.headers['x-forwarded-for']).map(plainAddress);
    let address = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      address = hops[i]!;
      if (!this.trusted.has(address)) break;
    }
    const proto = headerList(req.headers['x-forwarded-proto']).at(-1)?.toLowerCase();
    return { address, isSecure: isTls || proto === 'https', isProxied: true };
  }
}

/** May a password arrive over this request: TLS, or a loopback client, or the operator allows cleartext. */
export function mayLogIn(client: Client, allowCleartext: boolean): boolean {
  return client.isSecure || allowCleartext || isLoopback(client.address);
}

function headerList(h: string | string[] | undefined): string[] {
  const all = Array.isArray(h) ? h.join(',') : h ?? '';
  return all.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
