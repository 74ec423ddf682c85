// LIST and LSUB (RFC 3501 §6.3.8–9), LIST-EXTENDED (RFC 5258: selection and return options,
// several patterns, \NonExistent, CHILDINFO), LIST-STATUS (RFC 5819), SPECIAL-USE (RFC 6154),
// CHILDREN (RFC 3348) and NAMESPACE (RFC 2342).
import { command, type Authed, type CommandTable } from './types.ts';
import { ok } from '../errors.ts';
import { str } from '../render.ts';
import { DELIMITER, SHARED_PREFIX, listFolders, matcher, type Folder } from '../folders.ts';
import { parseListArgs, type ListRequest } from './list-args.ts';
import { statusLine } from './status.ts';

/** A name LIST can show: a folder, a parent its children's names imply, or a subscribed name. */
interface Entry {
  name: string;
  folder?: Folder;
  isSubscribed: boolean;
  hasChildren: boolean;
}

/** Every name of the user's tree: folders, implied parents ("a" for "a/b"), subscribed names without a folder. */
function tree(s: Authed): Map<string, Entry> {
  const all = new Map<string, Entry>();
  const folders = listFolders(s.core, s.actor);
  for (const f of folders) all.set(f.name, { name: f.name, folder: f, isSubscribed: f.isSubscribed, hasChildren: false });
  // a subscribed name whose folder does not exist (any more) is still listed by LSUB (RFC 3501 §6.3.9)
  for (const n of s.core.subscriptions.list(s.actor) ?? []) if (!all.has(n)) all.set(n, { name: n, isSubscribed: true, hasChildren: false });
  for (const f of folders) {
    const parts = f.name.split(DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(DELIMITER);
      const e = all.get(parent);
      if (e) e.hasChildren = true;
      else all.set(parent, { name: parent, isSubscribed: false, hasChildren: true });
    }
  }
  return all;
}

/** The attributes of a name as LIST shows it. */
function attributes(e: Entry, req: ListRequest): string[] {
  const attrs: string[] = [];
  if (e.folder || e.hasChildren || !req.isExtended) attrs.push(e.hasChildren ? '\\HasChildren' : '\\HasNoChildren');
  if (!e.folder) attrs.push(!e.hasChildren && req.isExtended ? '\\NonExistent' : '\\Noselect');
  if (e.folder?.specialUse) attrs.push(e.folder.specialUse);
  if (e.isSubscribed && (req.select.subscribed || req.ret.subscribed)) attrs.push('\\Subscribed');
  return attrs;
}

/**
 * What LIST answers, in tree order. With SUBSCRIBED only subscribed names; with RECURSIVEMATCH
 * also a matching name with a subscribed descendant that no pattern matches, marked
 * CHILDINFO (SUBSCRIBED) (RFC 5258 §3.5: a descendant listed itself needs no pointer).
 */
function select(all: Map<string, Entry>, req: ListRequest): { e: Entry; childInfo: boolean }[] {
  const matchers = req.patterns.map((p) => matcher(req.reference, p));
  const matches = (name: string) => matchers.some((m) => m(name));
  const out: { e: Entry; childInfo: boolean }[] = [];
  for (const e of all.values()) {
    if (!matches(e.name)) continue;
    if (req.select.specialUse && !e.folder?.specialUse) continue;
    let childInfo = false;
    if (req.select.recursive) {
      const prefix = `${e.name}${DELIMITER}`;
      for (const d of all.values()) {
        if (d.isSubscribed && d.name.startsWith(prefix) && !matches(d.name)) { childInfo = true; break; }
      }
    }
    if (req.select.subscribed && !e.isSubscribed && !childInfo) continue;
    if (!req.select.subscribed && !e.folder && !e.hasChildren) continue;
    out.push({ e, childInfo });
  }
  return out;
}

async function list(s: Authed, req: ListRequest): Promise<void> {
  if (req.patterns.length === 1 && req.patterns[0] === '' && !req.isExtended) {
    s.send(`* LIST (\\Noselect) "${DELIMITER}" ""\r\n`);
    return;
  }
  for (const { e, childInfo } of select(tree(s), req)) {
    const ext = childInfo ? ' ("CHILDINFO" ("SUBSCRIBED"))' : '';
    s.send(`* LIST (${attributes(e, req).join(' ')}) "${DELIMITER}" ${s.wireName(e.name)}${ext}\r\n`);
    // RFC 5819 §2: STATUS only for a mailbox that can be selected
    if (req.ret.status && e.folder) s.send(statusLine(s, e.folder, req.ret.status));
    await s.drain();
  }
}

/** LSUB: subscribed names, their unsubscribed parents as \Noselect (RFC 3501 §6.3.9). */
async function lsub(s: Authed, reference: string, pattern: string): Promise<void> {
  if (pattern === '') {
    s.send(`* LSUB (\\Noselect) "${DELIMITER}" ""\r\n`);
    return;
  }
  const matches = matcher(reference, pattern);
  const shown = new Map<string, string[]>();
  for (const e of tree(s).values()) {
    if (!e.isSubscribed) continue;
    shown.set(e.name, e.folder ? (e.folder.specialUse ? [e.folder.specialUse] : []) : ['\\Noselect']);
    const parts = e.name.split(DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(DELIMITER);
      if (!shown.has(parent)) shown.set(parent, ['\\Noselect']);
    }
  }
  for (const [name, attrs] of shown) {
    if (!matches(name)) continue;
    s.send(`* LSUB (${attrs.join(' ')}) "${DELIMITER}" ${s.wireName(name)}\r\n`);
    await s.drain(); // many folders: turns for others, and a wait while the client is behind (issue 16)
  }
}

export const listCommands: CommandTable = {
  LIST: command({
    needs: 'authenticated',
    async run(s, cmd) {
      await list(s, parseListArgs(cmd.args, (n) => s.nameFromWire(n)));
      return ok('LIST completed');
    },
  }),
  LSUB: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const req = parseListArgs(cmd.args, (n) => s.nameFromWire(n));
      await lsub(s, req.reference, req.patterns[0] ?? '');
      return ok('LSUB completed');
    },
  }),
  NAMESPACE: command({
    needs: 'authenticated',
    async run(s) {
      s.send(`* NAMESPACE (("" "${DELIMITER}")) NIL ((${str(`${SHARED_PREFIX}${DELIMITER}`)} "${DELIMITER}"))\r\n`);
      return ok('NAMESPACE completed');
    },
  }),
};
