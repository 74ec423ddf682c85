// The native command table: one entry per wire verb (protocol/README.md lists them all).
import type { CommandTable } from './types.ts';
import { connectionCommands } from './connection.ts';
import { loginCommands } from './login.ts';
import { roomCommands } from './rooms.ts';
import { messageCommands } from './messages.ts';
import { expressCommands } from './express.ts';
import { chatCommands } from './chat.ts';
import { userCommands } from './users.ts';
import { adminRoomCommands } from './admin-rooms.ts';
import { adminUserCommands } from './admin-users.ts';
import { migrateCommands } from './migrate.ts';

export const COMMANDS: CommandTable = {
  ...connectionCommands,
  ...loginCommands,
  ...roomCommands,
  ...messageCommands,
  ...expressCommands,
  ...chatCommands,
  ...userCommands,
  ...adminRoomCommands,
  ...adminUserCommands,
  ...migrateCommands,
};
