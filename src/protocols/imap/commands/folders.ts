// CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE (RFC 3501 §6.3.3–7). User folders are the
// user's own mailbox rooms, subscribed by name (core's subscriptions; a new folder is not
// subscribed); a shared room's subscription is its zapped state (Citadel's "forget").
import { isCoreError } from '../../../core/index.ts';
import { command, type Authed, type CommandTable } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { asString, type Value } from '../parser.ts';
import { mailboxId } from '../object-ids.ts';
import { DELIMITER, isReservedName, listFolders, normalise, resolveFolder } from '../folders.ts';

const nameArg = (s: Authed, v: Value | undefined) => normalise(s.nameFromWire(asString(v, 'a mailbox name')));

/** The user's subscribed personal names; until they first change one, every own folder. */
function subscribedNames(s: Authed): string[] {
  return s.core.subscriptions.list(s.actor) ?? listFolders(s.core, s.actor).filter((f) => !f.isShared).map((f) => f.name);
}

/** Subscribe or unsubscribe a name: a shared room is (un)forgotten, anything else kept by name. */
async function subscribe(s: Authed, name: string, isOn: boolean): Promise<void> {
  let shared;
  try {
    const f = resolveFolder(s.core, s.actor, name);
    if (f.isShared) shared = f;
  } catch (err) {
    if (!(isCoreError(err) && err.kind === 'not-found') || isReservedName(name)) throw err;
  }
  if (shared) return s.core.rooms.setZapped(s.actor, shared.room.roomnum, !isOn);
  // read and written in one transaction: another session of the user may be changing them too
  await s.core.subscriptions.change(s.actor, name, isOn, () => listFolders(s.core, s.actor).filter((f) => !f.isShared).map((f) => f.name));
}

function personalFolder(s: Authed, name: string) {
  const f = resolveFolder(s.core, s.actor, name);
  if (f.isShared) throw new ImapError('NO', 'Shared folders are managed by the room aides', 'NOPERM');
  return f;
}

export const folderCommands: CommandTable = {
  CREATE: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const name = nameArg(s, cmd.args[0]);
      if (name === 'INBOX' || isReservedName(name)) throw new ImapError('NO', `'${name}' already exists or is reserved`, 'ALREADYEXISTS');
      // the folders there were stay subscribed; the new one is not until the client says so
      if (!s.core.subscriptions.list(s.actor)) await s.core.subscriptions.set(s.actor, subscribedNames(s));
      const room = await s.core.rooms.createPersonal(s.actor, name);
      return ok('CREATE completed', `MAILBOXID (${mailboxId(room)})`);
    },
  }),
  DELETE: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const f = personalFolder(s, nameArg(s, cmd.args[0]));
      if (s.box?.room.roomnum === f.room.roomnum) s.select(undefined);
      await s.core.rooms.remove(s.actor, f.room.roomnum);
      return ok('DELETE completed');
    },
  }),
  RENAME: command({
    needs: 'authenticated',
    async run(s, cmd) {
      const fromName = nameArg(s, cmd.args[0]);
      const to = nameArg(s, cmd.args[1]);
      if (isReservedName(to)) throw new ImapError('NO', `'${to}' already exists or is reserved`, 'ALREADYEXISTS');
      // inferior names move along (RFC 3501 §6.3.5): Work/2024 becomes Job/2024, also when
      // Work itself is only implied by its children
      const inferiors = listFolders(s.core, s.actor).filter((f) => !f.isShared && f.name.startsWith(`${fromName}${DELIMITER}`));
      let from;
      try {
        from = personalFolder(s, fromName);
      } catch (err) {
        if (!(isCoreError(err) && err.kind === 'not-found' && inferiors.length)) throw err;
      }
      if (from?.room.role === 'inbox') {
        // RFC 3501 §6.3.5: renaming INBOX moves its messages to the new folder and leaves INBOX empty
        const dest = await s.core.rooms.createPersonal(s.actor, to);
        const all = s.core.messages.list(s.actor, from.room.roomnum);
        if (all.length) await s.core.messages.copy(s.actor, from.room.roomnum, dest.roomnum, all, { isMove: true });
        return ok('RENAME completed');
      }
      if (from) await s.core.rooms.update(s.actor, from.room.roomnum, { name: to });
      for (const f of inferiors) await s.core.rooms.update(s.actor, f.room.roomnum, { name: `${to}${f.name.slice(fromName.length)}` });
      return ok('RENAME completed');
    },
  }),
  SUBSCRIBE: command({
    needs: 'authenticated',
    async run(s, cmd) {
      await subscribe(s, nameArg(s, cmd.args[0]), true);
      return ok('SUBSCRIBE completed');
    },
  }),
  UNSUBSCRIBE: command({
    needs: 'authenticated',
    async run(s, cmd) {
      await subscribe(s, nameArg(s, cmd.args[0]), false);
      return ok('UNSUBSCRIBE completed');
    },
  }),
};
