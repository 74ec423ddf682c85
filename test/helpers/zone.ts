// Reads the zone-file lines `keepd dns` prints back into records (name → TXT texts, MX), so a
// test can publish exactly what an admin would paste.
export interface ParsedZone {
  TXT: Record<string, string[]>;
  MX: Record<string, { exchange: string; priority: number }[]>;
}

export function parseZone(text: string): ParsedZone {
  const zone: ParsedZone = { TXT: {}, MX: {} };
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith(';')) continue;
    const m = /^(\S+)\s+\d+\s+IN\s+(TXT|MX)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not a zone line: ${line}`);
    const name = m[1]!.replace(/\.$/, '').toLowerCase();
    if (m[2] === 'MX') {
      const [prio, host] = m[3]!.trim().split(/\s+/);
      (zone.MX[name] ??= []).push({ priority: Number(prio), exchange: host!.replace(/\.$/, '') });
      continue;
    }
    const strings = [...m[3]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]!.replace(/\\(.)/g, '$1'));
    (zone.TXT[name] ??= []).push(strings.join(''));
  }
  return zone;
}
