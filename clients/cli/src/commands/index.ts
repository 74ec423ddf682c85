// The table of scriptable subcommands.
import { post, mail } from './post.ts';
import { page } from './page.ts';
import { read } from './read.ts';
import { rooms } from './rooms.ts';
import type { SubCommand } from './types.ts';
import { who, whoami } from './who.ts';

export const subcommands: Record<string, SubCommand> = { rooms, read, post, mail, page, who, whoami };
