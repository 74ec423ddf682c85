// Address fields (RFC 5322 §3.4) parsed with nodemailer's address parser; display names decoded
// from RFC 2047 encoded words with libmime. Groups are flattened to their members.
import addressparser from 'nodemailer/lib/addressparser';
import libmime from 'libmime';
import type { Address } from '../../store/index.ts';

type Parsed = { name?: string; address?: string; group?: Parsed[] };

function flatten(list: Parsed[], out: Address[]): Address[] {
  for (const a of list) {
    if (a.group) flatten(a.group, out);
    else if (a.address) {
      const name = a.name ? libmime.decodeWords(a.name).trim() : '';
      out.push(name ? { name, address: a.address } : { address: a.address });
    }
  }
  return out;
}

/** The addresses of a header value (undefined value: none). */
export function parseAddresses(value: string | undefined): Address[] {
  if (value === undefined || value.trim() === '') return [];
  return flatten(addressparser(value) as Parsed[], []);
}
