// Is a peer on this machine? Passwords may travel in the clear only from loopback, and only
// while KEEP_CLEARTEXT_AUTH_ON_LOOPBACK allows it; from anywhere else they need TLS.
/** Is this address on this machine (IPv4 127/8, ::1, IPv4-mapped 127/8)? */
export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** May a password arrive without TLS from this peer? (SMTP AUTH, IMAP LOGIN, NNTP AUTHINFO) */
export function mayAuthenticateInClear(address: string | undefined, config: { cleartextAuthOnLoopback: boolean }): boolean {
  return config.cleartextAuthOnLoopback && isLoopback(address);
}
