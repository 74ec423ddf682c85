// The one reader of RFC 5322 header sections (RFC 5322 §2.2, §3.2.2 folding): where the header
// ends, each field's bytes, and the header index every translator reads (name in lower case,
// value unfolded and trimmed, not RFC 2047-decoded). Values are UTF-8 text when the bytes are
// valid UTF-8 (RFC 6532), else Latin-1, so every protocol renders the same characters.

/** A header index: the fields in order, names lower-case, values unfolded. */
export type HeaderIndex = [string, string][];

/** One field's place in the raw bytes: from its name to after its last line's line end. */
export interface FieldSpan {
  name: string;
  start: number;
  end: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header bytes as text: UTF-8 when valid, else Latin-1 (one char per byte). */
export function headerText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

/** Where the body starts: after the first empty line (CRLF or bare LF), if there is one. */
export function headerEnd(raw: Buffer): number | undefined {
  if (raw[0] === 10) return 1;
  if (raw[0] === 13 && raw[1] === 10) return 2;
  for (let i = raw.indexOf(10); i >= 0; i = raw.indexOf(10, i + 1)) {
    if (raw[i + 1] === 10) return i + 2;
    if (raw[i + 1] === 13 && raw[i + 2] === 10) return i + 3;
  }
  return undefined;
}

/** The fields of the header section ending at `end`, with byte offsets (continuations included). */
export function fieldSpans(raw: Buffer, end: number): FieldSpan[] {
  const out: FieldSpan[] = [];
  let pos = 0;
  while (pos < end) {
    let nl = raw.indexOf(10, pos);
    if (nl < 0 || nl >= end) nl = end - 1;
    const lineEnd = nl + 1;
    const first = raw[pos];
    const isContinuation = first === 0x20 || first === 0x09;
    const last = out.at(-1);
    if (isContinuation && last) last.end = lineEnd;
    else {
      const colon = raw.indexOf(58, pos);
      if (colon > pos && colon < nl) out.push({ name: raw.subarray(pos, colon).toString('latin1').trim().toLowerCase(), start: pos, end: lineEnd });
    }
    pos = lineEnd;
  }
  return out;
}

/** The header index of the section ending at `end`. */
export function indexHeader(raw: Buffer, end: number): HeaderIndex {
  return fieldSpans(raw, end).map((f) => {
    const text = headerText(raw.subarray(f.start, f.end));
    const value = text.slice(text.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ').replace(/\r?\n$/, '');
    return [f.name, value.trim()];
  });
}

/** The first value of a field, if present. */
export const fieldOf = (h: HeaderIndex, name: string): string | undefined => h.find(([n]) => n === name)?.[1];

/** Every value of a field, in order. */
export const fieldsOf = (h: HeaderIndex, name: string): string[] => h.filter(([n]) => n === name).map(([, v]) => v);

/** Message-IDs (`<…>`) in a field value, in order. */
export const idsIn = (v: string | undefined): string[] => (v ? v.match(/<[^<>\s]+>/g) ?? [] : []);
