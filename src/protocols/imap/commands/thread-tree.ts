// The threading algorithms of RFC 5256 §2: ORDEREDSUBJECT (base subject, then sent date) and
// REFERENCES (Message-ID, References and In-Reply-To links, then subjects for what the links
// leave apart), and the wire form of a thread. Pure.
import { fieldsOf, idsIn, type Message } from '../../../core/index.ts';
import { sentTime, subjectOf } from './message-order.ts';

export interface Item {
  num: number;
  seq: number;
  time: number;
  subject: { base: string; isReply: boolean };
  id?: string | undefined;
  /** the message's parent chain, oldest first: References, else the first In-Reply-To id */
  refs: string[];
}

/** A thread node; one without an item is a placeholder for a message that is not here. */
export class Node {
  parent: Node | undefined;
  children: Node[] = [];
  constructor(public item?: Item) {}
}

/** What threading needs of a message. */
export function itemOf(num: number, seq: number, m: Message): Item {
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

/**
 * Linking `child` (a top node here) under `parent` would close a loop: `parent` is `child` or
 * below it. The walk up from `parent` and the walk down from `child` take turns, so a long reply
 * chain costs only the shorter of the two.
 */
function wouldLoop(parent: Node, child: Node): boolean {
  let up: Node | undefined = parent;
  const down: Node[] = [child];
  while (up && down.length) {
    if (up === child) return true;
    up = up.parent;
    const n = down.pop()!;
    if (n === parent) return true;
    down.push(...n.children);
  }
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

/** Every node below `roots`, parents before their children (no recursion: reply chains can be long). */
function preorder(roots: Node[]): Node[] {
  const out: Node[] = [];
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

/** Siblings by sent date at every level, children first so a placeholder's first child is known. */
function sortTree(roots: Node[]): void {
  const all = preorder(roots);
  for (let i = all.length - 1; i >= 0; i--) all[i]!.children.sort(byDate);
  roots.sort(byDate);
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
function prune(roots: Node[]): Node[] {
  const keep = (list: Node[], isTop: boolean, parent?: Node): Node[] => {
    const out: Node[] = [];
    for (const n of list) {
      if (!n.item && n.children.length === 0) continue;
      if (!n.item && (!isTop || n.children.length === 1)) out.push(...n.children);
      else out.push(n);
    }
    for (const c of out) c.parent = parent;
    return out;
  };
  // bottom-up, so a placeholder's children are pruned before it gives way to them
  const all = preorder(roots);
  for (let i = all.length - 1; i >= 0; i--) all[i]!.children = keep(all[i]!.children, false, all[i]);
  return keep(roots, true);
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

export function references(items: Item[]): Node[] {
  const roots = prune(linkAll(items));
  sortTree(roots);
  const gathered = gatherBySubject(roots);
  for (const r of gathered) sortTree(r.children);
  return gathered;
}

/** ORDEREDSUBJECT: by base subject then sent date; each subject's first message parents the rest. */
export function orderedSubject(items: Item[]): Node[] {
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
export function render(n: Node, id: (num: number) => number): string {
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
