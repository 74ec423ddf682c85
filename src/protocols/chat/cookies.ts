// The session cookie: parse a Cookie header, write Set-Cookie (RFC 6265 §4.1). Pure.
export const COOKIE_NAME = 'keep_session';

/** Name → value pairs of a Cookie header; the first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name && !out.has(name)) out.set(name, value);
  }
  return out;
}

/**
 * Set-Cookie for a session id: HttpOnly (no script reads it), SameSite=Strict (no cross-site
 * request carries it, which is the CSRF defence), Path=/, and Max-Age; Secure when served
 * over TLS. maxAgeSeconds 0 clears it.
 */
export function sessionCookie(id: string, opts: { maxAgeSeconds: number; isSecure: boolean }): string {
  const parts = [`${COOKIE_NAME}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${opts.maxAgeSeconds}`];
  if (opts.isSecure) parts.push('Secure');
  return parts.join('; ');
}
