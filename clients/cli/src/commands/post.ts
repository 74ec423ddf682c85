// keep post ROOM [--subject S] < body, and keep mail USER [--subject S] < body (ENT0).
import type { Draft } from '../api/session.ts';
import { ClientError } from '../errors.ts';
import { stringFlag, type ParsedArgs } from '../options/args.ts';
import type { CommandContext, SubCommand } from './types.ts';

async function draftFromStdin(ctx: CommandContext, recipient?: string): Promise<Draft> {
  const text = await ctx.readStdin();
  if (text.trim() === '') throw new ClientError('usage', 'the message is empty (it is read from standard input)');
  const subject = stringFlag(ctx.args.flags, 'subject');
  return { text, ...(subject ? { subject } : {}), ...(recipient ? { recipient } : {}) };
}

function oneTarget(usage: string) {
  return (args: ParsedArgs) => {
    if (args.positional.length !== 1) throw new ClientError('usage', `usage: ${usage}`);
  };
}

function report(ctx: CommandContext, json: object, text: string): void {
  ctx.print(ctx.isJson ? `${JSON.stringify({ ok: true, ...json })}\n` : `${text}\n`);
}

export const post: SubCommand = {
  usage: 'keep post ROOM [--subject S] < body',
  summary: 'post standard input as a message in a room',
  validate: oneTarget('keep post ROOM [--subject S] < body'),
  async run(ctx) {
    const room = ctx.args.positional[0]!;
    const draft = await draftFromStdin(ctx);
    const session = await ctx.session();
    const state = await session.goto(room);
    await session.enter(draft);
    report(ctx, { room: state.name }, `Message posted in ${state.name}.`);
  },
};

export const mail: SubCommand = {
  usage: 'keep mail USER [--subject S] < body',
  summary: 'send standard input as private mail to a user',
  validate: oneTarget('keep mail USER [--subject S] < body'),
  async run(ctx) {
    const to = ctx.args.positional[0]!;
    const draft = await draftFromStdin(ctx, to);
    const session = await ctx.session();
    await session.goto('_MAIL_');
    await session.enter(draft);
    report(ctx, { to }, `Mail sent to ${to}.`);
  },
};
