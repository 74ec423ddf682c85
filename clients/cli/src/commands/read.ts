// keep read ROOM [--new|--last N]: print a room's messages; --new also marks them read.
import type { MessageSelection } from '../api/session.ts';
import { ClientError } from '../errors.ts';
import { intFlag, type ParsedArgs } from '../options/args.ts';
import { messageJson, messageText } from '../output/format.ts';
import type { SubCommand } from './types.ts';

function selection(args: ParsedArgs): MessageSelection {
  const last = intFlag(args.flags, 'last');
  const isNew = args.flags.get('new') === true;
  if (last !== undefined && isNew) throw new ClientError('usage', 'use --new or --last N, not both');
  if (last !== undefined) return { which: 'last', count: last };
  return isNew ? { which: 'new' } : { which: 'all' };
}

export const read: SubCommand = {
  usage: 'keep read ROOM [--new | --last N] [--json]',
  summary: 'print the messages in a room (--new: only unread ones, then mark them read)',
  validate(args) {
    if (args.positional.length !== 1) throw new ClientError('usage', `usage: ${read.usage}`);
    selection(args);
  },
  async run(ctx) {
    const sel = selection(ctx.args);
    const session = await ctx.session();
    await session.goto(ctx.args.positional[0]!);
    const msgnums = await session.messageNumbers(sel);
    const messages = [];
    for (const n of msgnums) messages.push(await session.message(n));
    ctx.print(ctx.isJson ? `${JSON.stringify(messages.map(messageJson))}\n` : messages.map(messageText).join('\n'));
    const highest = msgnums.at(-1);
    if (sel.which === 'new' && highest !== undefined) await session.setLastRead(highest);
  },
};
