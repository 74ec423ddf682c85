// keep page USER TEXT…: send an instant message to a user who is online (SEXP).
import { ClientError } from '../errors.ts';
import type { SubCommand } from './types.ts';

export const page: SubCommand = {
  usage: 'keep page USER TEXT...',
  summary: 'send an instant message to a user who is online',
  validate(args) {
    if (args.positional.length < 2) throw new ClientError('usage', `usage: ${page.usage}`);
  },
  async run(ctx) {
    const [to, ...words] = ctx.args.positional;
    await (await ctx.session()).page(to!, words.join(' '));
    ctx.print(ctx.isJson ? `${JSON.stringify({ ok: true, to })}\n` : `Message sent to ${to}.\n`);
  },
};
