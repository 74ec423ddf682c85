// LIST and LSUB (RFC 3501 §6.3.8–9, RFC 6154 SPECIAL-USE, RFC 3348 CHILDREN) and NAMESPACE (RFC 2342).
import { command, type Authed, type CommandTable } from './types.ts';
import { ok } from '../errors.ts';
import { mailboxName, str } from '../render.ts';
import { asString, decodeMailboxName } from '../parser.ts';
import { DELIMITER, SHARED_PREFIX, listFolders, matcher } from '../folders.ts';

interface Entry { name: string; attrs: string[] }

/** Folders plus the parents their names imply ("Public", "a" for "a/b") as \Noselect. */
function entries(s: Authed, isLsub: boolean): Entry[] {
  const folders = listFolders(s.core, s.actor).filter((f) => !isLsub || f.isSubscribed);
  const names = new Set(folders.map((f) => f.name));
  const all = new Map<string, Entry>();
  // a subscribed name whose folder does not exist (any more) is still listed by LSUB (RFC 3501 §6.3.9)
  if (isLsub) for (const n of s.core.subscriptions.list(s.actor) ?? []) if (!names.has(n)) all.set(n, { name: n, attrs: ['\\Noselect'] });
  for (const f of folders) {
    const attrs: string[] = [];
    if (f.specialUse) attrs.push(f.specialUse);
    all.set(f.name, { name: f.name, attrs });
    const parts = f.name.split(DELIMITER);
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join(DELIMITER);
      if (!names.has(parent) && !all.has(parent)) all.set(parent, { name: parent, attrs: ['\\Noselect'] });
    }
  }
  const list = [...all.values()];
  const hasChild = new Set(list.map((e) => e.name.split(DELIMITER).slice(0, -1).join(DELIMITER)));
  for (const e of list) e.attrs.unshift(hasChild.has(e.name) ? '\\HasChildren' : '\\HasNoChildren');
  return list;
}

function listing(verb: 'LIST' | 'LSUB') {
  return command({
    needs: 'authenticated',
    async run(s, cmd) {
      const args = cmd.args[0]?.t === 'list' ? cmd.args.slice(1) : cmd.args; // LIST (selection) is not offered
      const reference = decodeMailboxName(asString(args[0], 'a reference name'), s.isUtf8);
      const pattern = decodeMailboxName(asString(args[1], 'a mailbox pattern'), s.isUtf8);
      if (pattern === '') {
        s.send(`* ${verb} (\\Noselect) "${DELIMITER}" ""\r\n`);
        return ok(`${verb} completed`);
      }
      const matches = matcher(reference, pattern);
      for (const e of entries(s, verb === 'LSUB')) {
        if (!matches(e.name)) continue;
        s.send(`* ${verb} (${e.attrs.join(' ')}) "${DELIMITER}" ${mailboxName(e.name, s.isUtf8)}\r\n`);
        await s.drain(); // many folders: turns for others, and a wait while the client is behind (issue 16)
      }
      return ok(`${verb} completed`);
    },
  });
}

export const listCommands: CommandTable = {
  LIST: listing('LIST'),
  LSUB: listing('LSUB'),
  NAMESPACE: command({
    needs: 'authenticated',
    async run(s) {
      s.send(`* NAMESPACE (("" "${DELIMITER}")) NIL ((${str(`${SHARED_PREFIX}${DELIMITER}`)} "${DELIMITER}"))\r\n`);
      return ok('NAMESPACE completed');
    },
  }),
};
