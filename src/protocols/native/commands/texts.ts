// System texts for MESG (protocol/session.md §MESG): a file <dataDir>/messages/<name> when the
// site provides one, otherwise a short built-in text. Lines starting with a space begin a
// paragraph: the stock client re-flows these texts to the screen width.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '../session.ts';

const BUILT_IN: Record<string, (s: Session) => string> = {
  hello: (s) => ` Welcome to ${s.config.humanNode}.\n Log in with your name, or type a new name to create an account.\n`,
  goodbye: (s) => ` Thank you for calling ${s.config.humanNode}. Goodbye.\n`,
  changepw: () => ' Please choose a password for your new account. You will be asked for it each time you log in.\n',
  register: () => ' Please tell us a little about yourself.\n',
  entermsg: () => ' Type your message. An empty line ends it and shows the menu: S saves, A aborts.\n',
  unlisted: () => ' An unlisted user does not appear in the list of who is online.\n',
  roomaccess: () => ' Public rooms are open to all. Hidden rooms are found by name. Passworded rooms need the password. Invitation-only rooms need an invitation from an aide.\n',
  help: () => ' Press ? at a prompt for the list of commands.\n',
  mainmenu: () => ' Press ? at a prompt for the list of commands.\n',
};

/** The text named, or undefined when there is none. */
export async function systemText(s: Session, name: string): Promise<string | undefined> {
  if (!/^[a-z0-9_-]{1,32}$/.test(name)) return undefined;
  try {
    return await readFile(join(s.config.dataDir, 'messages', name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') s.log.warn({ err, name }, 'cannot read system text');
  }
  return BUILT_IN[name]?.(s);
}
