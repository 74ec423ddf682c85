// keep who and keep whoami: who is online (RWHO), and who we are logged in as (PASS reply).
import { whoJson, whoText } from '../output/format.ts';
import type { SubCommand } from './types.ts';

const ACCESS_LEVELS = ['deleted', 'new user', 'problem user', 'local user', 'network user', 'preferred user', 'aide'];

export const who: SubCommand = {
  usage: 'keep who [--json]',
  summary: 'list the users online and the room each is in',
  async run(ctx) {
    const list = await (await ctx.session()).who();
    ctx.print(ctx.isJson ? `${JSON.stringify(whoJson(list))}\n` : whoText(list));
  },
};

export const whoami: SubCommand = {
  usage: 'keep whoami [--json]',
  summary: 'show the user name and access level you log in with',
  async run(ctx) {
    const s = await ctx.session();
    const { name, axlevel, usernum } = s.me;
    const level = ACCESS_LEVELS[axlevel] ?? String(axlevel);
    const server = s.server.humanNode || s.server.nodeName;
    ctx.print(ctx.isJson
      ? `${JSON.stringify({ user: name, usernum, accessLevel: axlevel, access: level, server })}\n`
      : `${name} (${level}) on ${server}\n`);
  },
};
