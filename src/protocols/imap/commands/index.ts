// The IMAP command table: wire verb (UID forms spelled 'UID FETCH') → state needed + handler.
import type { CommandTable } from './types.ts';
import { anyCommands } from './any.ts';
import { authCommands } from './auth.ts';
import { listCommands } from './list.ts';
import { folderCommands } from './folders.ts';
import { selectCommands } from './select.ts';
import { statusCommands } from './status.ts';
import { fetchCommands } from './fetch.ts';
import { storeCommands } from './store.ts';
import { searchCommands } from './search.ts';
import { copyCommands } from './copy.ts';
import { expungeCommands } from './expunge.ts';
import { appendCommands } from './append.ts';
import { idleCommands } from './idle.ts';
import { sortCommands } from './sort.ts';
import { notifyCommands } from './notify.ts';
import { threadCommands } from './thread.ts';
import { quotaCommands } from './quota.ts';

export const COMMANDS: CommandTable = {
  ...anyCommands, ...authCommands, ...listCommands, ...folderCommands, ...selectCommands, ...statusCommands,
  ...fetchCommands, ...storeCommands, ...searchCommands, ...copyCommands, ...expungeCommands, ...appendCommands, ...idleCommands, ...sortCommands, ...threadCommands,
  ...quotaCommands, ...notifyCommands,
};
