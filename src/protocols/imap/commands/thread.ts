// THREAD and UID THREAD (RFC 5256 §3): the SEARCH result grouped into conversations by
// ORDEREDSUBJECT (base subject, then sent date) or REFERENCES (Message-ID, References and
// In-Reply-To links, then subjects for what the links leave apart).
import { fieldsOf, idsIn, type Message } from '../../../core/index.ts';
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { parseSearch } from './search-keys.ts';
import { search } from './search.ts';
import { sentTime, subjectOf } from './message-order.ts';

interface Item {
  num: number;
  seq: number;
  time: number;
  subject: { base: string; isReply: boolean };
  id?: string | undefined;
  /** the message's parent chain, oldest first: References, else the first In-Reply-To id */
  refs: string[];
}

/** A thread node; one without an item is a placeholder for a message that is not here. */
class Node {
  parent: Node | undefined;
  children: Node[] = [];
  constructor(public item?: Item) {}
}

function itemOf(num: number, seq: number, m: Message): Item {
  const refs = fieldsOf(m.headers, 'references').flatMap(idsIn);
  const irt = idsIn(fieldsOf(m.headers, 'in-reply-to')[0])[0];
  return {
    num, seq, time: sentTime(m), subject: subjectOf(m.subject),
    id: idsIn(fieldsOf(m.headers, 'message-id')[0])[0],
    refs: refs.length ? refs : irt ? [irt] : [],
  };
}

function link(parent: Node, child: Node): void {
  child.parent = parent;
  parent.children.push(child);
}

function unlink(child: Node): void {
  const p = child.parent;
  if (!p) return;
  p.children.splice(p.children.indexOf(child), 1);
  child.parent = undefined;
}

/** Linking `child` under `parent` would close a loop: `child` is `parent` or one of its ancestors. */
function wouldLoop(parent: Node, child: Node): boolean {
  for (let n: Node | undefined = parent; n; n = n.parent) if (n === child) return true;
  return false;
}

/** The date a node sorts by: its message's, or a placeholder's first child's (children sorted first). */
function firstItem(n: Node): Item {
  let cur = n;
  while (!cur.item) cur = cur.children[0]!;
  return cur.item;
}

const byDate = (a: Node, b: Node) => {
  const x = firstItem(a);
  const y = firstItem(b);
  return x.time - y.time || x.seq - y.seq;
};

function sortTree(nodes: Node[]): void {
  for (const n of nodes) sortTree(n.children);
  nodes.sort(byDate);
}

/** RFC 5256 REFERENCES step 1: containers by Message-ID, linked as the headers say. */
function linkAll(items: Item[]): Node[] {
  const byId = new Map<string, Node>();
  const all: Node[] = [];
  const containerOf = (id: string) => {
    let c = byId.get(id);
    if (!c) {
      c = new Node();
      byId.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const item of items) {
    const existing = item.id ? byId.get(item.id) : undefined;
    let c: Node;
    if (item.id && !existing) c = containerOf(item.id);
    else if (existing && !existing.item) c = existing;
    else {
      c = new Node(); // no Message-ID, or one already taken: a message of its own
      all.push(c);
    }
    c.item = item;
    let prev: Node | undefined;
    for (const ref of item.refs) {
      const r = containerOf(ref);
      if (prev && !r.parent && !wouldLoop(prev, r)) link(prev, r);
      prev = r;
    }
    // the message's own last reference wins over a link another message's References implied
    unlink(c);
    if (prev && !wouldLoop(prev, c)) link(prev, c);
  }
  return all.filter((n) => !n.parent);
}

/** Step 4: placeholders without children go, others give way to their children (at the top, only to one). */
function prune(nodes: Node[], isTop: boolean): Node[] {
  const out: Node[] = [];
  for (const n of nodes) {
    n.children = prune(n.children, false);
    for (const c of n.children) c.parent = n;
    if (!n.item && n.children.length === 0) continue;
    if (!n.item && (!isTop || n.children.length === 1)) {
      for (const c of n.children) c.parent = undefined;
      out.push(...n.children);
      continue;
    }
    out.push(n);
  }
  return out;
}

/** Step 6: top-level threads with the same base subject are put together. */
function gatherBySubject(roots: Node[]): Node[] {
  const subject = (n: Node) => firstItem(n).subject;
  const table = new Map<string, Node>();
  for (const r of roots) {
    const s = subject(r);
    if (!s.base) continue;
    const t = table.get(s.base);
    if (!t || (!r.item && t.item) || (r.item && t.item && t.item.subject.isReply && !s.isReply)) table.set(s.base, r);
  }
  const gone = new Set<Node>();
  const replaced = new Map<Node, Node>();
  for (const r of roots) {
    const base = subject(r).base;
    const t = base ? table.get(base) : undefined;
    if (!t || t === r) continue;
    gone.add(r);
    if (!t.item && !r.item) for (const c of r.children.splice(0)) link(t, c);
    else if (!t.item) link(t, r);
    else if (r.item?.subject.isReply && !t.item.subject.isReply) link(t, r);
    else {
      const d = new Node(); // siblings under a placeholder: neither is known to answer the other
      link(d, t);
      link(d, r);
      table.set(base, d);
      replaced.set(t, d);
    }
  }
  return roots.filter((r) => !gone.has(r)).map((r) => {
    let n = r;
    while (replaced.has(n)) n = replaced.get(n)!;
    return n;
  });
}

function references(items: Item[]): Node[] {
  const roots = prune(linkAll(items), true);
  sortTree(roots);
  const gathered = gatherBySubject(roots);
  for (const r of gathered) sortTree(r.children);
  return gathered;
}

/** ORDEREDSUBJECT: by base subject then sent date; each subject's first message parents the rest. */
function orderedSubject(items: Item[]): Node[] {
  const sorted = [...items].sort((a, b) => (a.subject.base < b.subject.base ? -1 : a.subject.base > b.subject.base ? 1 : a.time - b.time || a.seq - b.seq));
  const roots: Node[] = [];
  let current: Node | undefined;
  for (const item of sorted) {
    if (current && current.item!.subject.base === item.subject.base) link(current, new Node(item));
    else roots.push((current = new Node(item)));
  }
  return roots.sort(byDate);
}

/** One thread's members: a chain of only children in a row, then the branches each in parentheses. */
function render(n: Node, id: (num: number) => number): string {
  const parts: string[] = [];
  let cur = n;
  for (;;) {
    if (cur.item) parts.push(String(id(cur.item.num)));
    if (cur.children.length !== 1) break;
    cur = cur.children[0]!;
  }
  if (cur.children.length > 1) parts.push(cur.children.map((c) => `(${render(c, id)})`).join(''));
  return parts.join(' ');
}

const ALGORITHMS: Record<string, (items: Item[]) => Node[]> = { REFERENCES: references, ORDEREDSUBJECT: orderedSubject };

function threadCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s: Selected, cmd) {
      const alg = cmd.args[0];
      const threader = alg?.t === 'atom' ? ALGORITHMS[alg.v.toUpperCase()] : undefined;
      if (!threader) throw new ImapError('BAD', 'THREAD needs an algorithm: REFERENCES or ORDEREDSUBJECT');
      const charset = cmd.args[1];
      if (!charset || charset.t === 'list' || !/^(UTF-8|US-ASCII)$/i.test(charset.v)) throw new ImapError('NO', 'Charset not supported', 'BADCHARSET (UTF-8 US-ASCII)');
      const box = s.box;
      const items = search(s, parseSearch(cmd.args.slice(2))).map((n) => itemOf(n, box.seqOf(n), s.cache.get(n, () => s.core.messages.get(s.actor, n, box.room.roomnum)).msg));
      const id = (n: number) => (isUid ? box.uidOf(n) : box.seqOf(n));
      const threads = threader(items).map((t) => `(${render(t, id)})`).join('');
      s.send(`* THREAD${threads ? ` ${threads}` : ''}\r\n`);
      return ok(`${isUid ? 'UID ' : ''}THREAD completed`);
    },
  });
}

export const threadCommands: CommandTable = {
  THREAD: threadCommand(false),
  'UID THREAD': threadCommand(true),
};
