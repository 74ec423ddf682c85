// A small reader of IMAP response syntax (RFC 3501 §4: atoms, NIL, quoted strings, literals,
// parenthesised lists) for tests that compare ENVELOPE bytes with other protocols. Byte strings
// in, byte strings out (one char per byte, as the raw IMAP client reads the socket).
export type ImapValue = string | null | ImapValue[];

export function parseImapValue(s: string, at = 0): { value: ImapValue; end: number } {
  let i = at;
  while (s[i] === ' ') i++;
  if (s[i] === '(') {
    const list: ImapValue[] = [];
    i++;
    for (;;) {
      while (s[i] === ' ') i++;
      if (s[i] === ')') return { value: list, end: i + 1 };
      const item = parseImapValue(s, i);
      list.push(item.value);
      i = item.end;
    }
  }
  if (s[i] === '"') {
    let out = '';
    for (i++; s[i] !== '"'; i++) out += s[i] === '\\' ? s[++i] : s[i];
    return { value: out, end: i + 1 };
  }
  if (s[i] === '{') {
    const close = s.indexOf('}', i);
    const n = Number(s.slice(i + 1, close));
    const start = close + 3; // "}\r\n"
    return { value: s.slice(start, start + n), end: start + n };
  }
  const m = /^[^\s()]+/.exec(s.slice(i))!;
  return { value: m[0] === 'NIL' ? null : m[0], end: i + m[0].length };
}

/** The ENVELOPE list of a FETCH response. */
export function envelopeIn(fetch: string): ImapValue[] {
  const at = fetch.indexOf('ENVELOPE ');
  if (at < 0) throw new Error(`no ENVELOPE in ${fetch}`);
  return parseImapValue(fetch, at + 'ENVELOPE '.length).value as ImapValue[];
}

/** An ENVELOPE address as it would stand in a header: `name <mailbox@host>`. */
export function addressText(a: ImapValue): string {
  const [name, , mailbox, host] = a as (string | null)[];
  return name ? `${name} <${mailbox}@${host}>` : `<${mailbox}@${host}>`;
}
