// The NNTP command table (STYLE.md §3): wire verb → precondition, HELP text, handler.
import { CODE } from '../codes.ts';
import { articleCommands } from './article.ts';
import { authinfoCommands } from './authinfo.ts';
import { groupCommands } from './group.ts';
import { hdrCommands } from './hdr.ts';
import { infoCommands } from './info.ts';
import { listCommands } from './list.ts';
import { navigateCommands } from './navigate.ts';
import { newCommands } from './new.ts';
import { overCommands } from './over.ts';
import { postCommands } from './post.ts';
import { starttlsCommands } from './starttls.ts';
import type { CommandTable } from './types.ts';

export type { After, CommandSpec, CommandTable } from './types.ts';

const helpCommands: CommandTable = {
  HELP: {
    needs: 'nothing',
    summary: 'this list',
    run: () => ({
      code: CODE.HELP_FOLLOWS,
      text: 'Help text follows',
      data: Object.entries(COMMANDS).map(([verb, spec]) => `  ${verb} ${spec.summary}`),
    }),
  },
};

export const COMMANDS: CommandTable = {
  ...infoCommands, ...helpCommands, ...authinfoCommands, ...starttlsCommands, ...listCommands,
  ...groupCommands, ...articleCommands, ...navigateCommands, ...overCommands, ...hdrCommands,
  ...newCommands, ...postCommands,
};
