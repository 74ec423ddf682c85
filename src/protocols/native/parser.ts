// Wire text → typed command (protocol/README.md §Wire basics). Pure: no I/O.
// Citadel reads the verb as the first four characters whatever follows them (the stock client
// really sends `MRTG|users`), and the arguments from offset 5, split on '|' with no escaping.

export interface Command {
  verb: string;
  /** the argument text as sent (offset 5 onward) */
  rest: string;
  /** the '|'-separated fields of rest; at least one (possibly empty) field */
  args: string[];
}

export function parseCommand(line: string): Command {
  const verb = line.slice(0, 4).toUpperCase();
  const rest = line.length > 5 ? line.slice(5) : '';
  return { verb, rest, args: rest.split('|') };
}

/** Field i as a string ('' when missing: missing trailing fields read as empty). */
export const field = (args: string[], i: number): string => args[i] ?? '';

/** Field i as an integer; undefined when missing, empty or not a number. */
export function intField(args: string[], i: number): number | undefined {
  const s = field(args, i).trim();
  if (!/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A verb is four printable ASCII letters or digits; anything else is garbage. */
export const isWellFormedVerb = (verb: string): boolean => /^[A-Z0-9]{4}$/.test(verb);

/**
 * Remove what the stock client removes from a typed name (non-printables, double spaces and
 * the characters ! @ _ , % |). Used to recognise the client's second, "cleaned" PASS line.
 */
export function cleanLikeName(s: string): string {
  return s.replace(/[\x00-\x1f\x7f!@_,%|]/g, '').replace(/ {2,}/g, ' ').trim();
}
