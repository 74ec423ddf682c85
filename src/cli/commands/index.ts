// The keepd subcommand table.
import type { CliCommand } from './types.ts';
import { serve } from './serve.ts';
import { userAdd, userList, userPasswd, userSetLevel } from './user.ts';
import { roomAdd, roomList } from './room.ts';
import { check } from './check.ts';
import { queueDelete, queueList, queueRetry } from './queue.ts';
import { audit } from './audit.ts';
import { backup } from './backup.ts';
import { exportStore } from './export.ts';
import { importStore } from './import.ts';
import { restoreMessage, restoreRoom } from './restore.ts';
import { dns } from './dns.ts';
import { dkimList, dkimRemove, dkimRotate } from './dkim.ts';
import { listSubscribe, listSubscribers, listUnsubscribe } from './list.ts';

export type { CliCommand };

export const COMMANDS: Record<string, CliCommand> = {
  serve,
  'user add': userAdd,
  'user passwd': userPasswd,
  'user list': userList,
  'user set-level': userSetLevel,
  'room add': roomAdd,
  'room list': roomList,
  check,
  'queue list': queueList,
  'queue retry': queueRetry,
  'queue delete': queueDelete,
  audit,
  backup,
  export: exportStore,
  import: importStore,
  'restore room': restoreRoom,
  'restore message': restoreMessage,
  dns,
  'dkim list': dkimList,
  'dkim rotate': dkimRotate,
  'dkim remove': dkimRemove,
  'list subscribers': listSubscribers,
  'list subscribe': listSubscribe,
  'list unsubscribe': listUnsubscribe,
};
