// keepd queue list|retry|delete: the outbound mail queue (issue 5); changes are audited.
import { systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

function msgnumOf(v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`MSGNUM must be a message number, not '${v}'`);
  return n;
}

export const queueList: CliRunner = {
  async run({ config, args, log }) {
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    return withCore(config, log, async (core) => {
      const entries = core.delivery.queue.list(systemActor(cliOrigin()));
      if (json) process.stdout.write(`${JSON.stringify(entries)}\n`);
      else {
        for (const e of entries) {
          const tls = e.lastTls === undefined ? '' : e.lastTls ? ', TLS' : ', no TLS';
          const notes = `${tls}${e.delayNotified ? ', sender told of the delay' : ''}${e.listRoom !== undefined ? `, list mail of room #${e.listRoom}` : ''}`;
          process.stdout.write(`${new Date(e.due).toISOString()}  #${e.msgnum}  ${e.sender || '<>'} -> ${e.recipient}  ${e.state}, ${e.attempts} attempt(s)${notes}${e.lastError ? `  ${e.lastError}` : ''}\n`);
        }
        process.stdout.write(`${entries.length} queued\n`);
      }
      return 0;
    });
  },
};

export const queueRetry: CliRunner = {
  async run({ config, args, log }) {
    const [n] = args.length ? positionals(args, 1, 'MSGNUM or nothing') : positionals(args, 0, 'MSGNUM or nothing');
    return withCore(config, log, async (core) => {
      const count = await core.delivery.queue.retryNow(systemActor(cliOrigin()), n === undefined ? undefined : msgnumOf(n));
      process.stdout.write(`${count} queue entr${count === 1 ? 'y' : 'ies'} due now\n`);
      return 0;
    });
  },
};

export const queueDelete: CliRunner = {
  async run({ config, args, log }) {
    const [n] = positionals(args, 1, 'MSGNUM');
    const msgnum = msgnumOf(n);
    return withCore(config, log, async (core) => {
      const count = await core.delivery.queue.remove(systemActor(cliOrigin()), msgnum);
      if (count === 0) {
        process.stderr.write(`message ${msgnum} is not queued\n`);
        return 1;
      }
      process.stdout.write(`${count} queue entr${count === 1 ? 'y' : 'ies'} of message ${msgnum} removed\n`);
      return 0;
    });
  },
};
