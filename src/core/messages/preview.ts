// A message's preview (RFC 8970 for IMAP; any client listing messages may show it): the start of
// its plain text as a reader would glance at it. Quoted lines ("> …") and everything after the
// signature separator ("-- ") are left out, whitespace runs become one space, and it is cut at
// `max` characters (code points, so no character is split).
export function previewOf(text: string, max = 256): string {
  const kept: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '-- ') break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  const flat = kept.join(' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? chars.slice(0, max).join('') : flat;
}
