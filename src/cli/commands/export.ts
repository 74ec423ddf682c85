// keepd export [--out FILE] [--encrypt]: the whole store as a portable text stream
// (protocol/export.md), optionally encrypted with a passphrase. Works while the server runs.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encryptStream, systemActor } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { passphrase } from '../passphrase.ts';
import { progress } from '../progress.ts';

export const exportStore: CliRunner = {
  async run({ config, args, log }) {
    const out = takeOption(args, '--out');
    const isEncrypted = takeFlag(args, '--encrypt');
    positionals(args, 0, 'no arguments');
    const secret = isEncrypted ? await passphrase({ isNew: true }) : undefined;
    const partial = out ? `${out}.partial-${process.pid}` : undefined;
    return withCore(config, log, async (core) => {
      try {
        const lines = await core.backup.export(systemActor(cliOrigin()));
        const bar = progress('export', log);
        let n = 0;
        // lines are gathered into blocks: one write per line would cost more than the export itself
        const counted = Readable.from((function* () {
          let block: string[] = [];
          let size = 0;
          for (const l of lines) {
            n += 1;
            if (n % 1000 === 0) bar.update(n);
            block.push(l);
            size += l.length;
            if (size >= 256 * 1024) {
              yield block.join('');
              block = [];
              size = 0;
            }
          }
          if (block.length) yield block.join('');
        })());
        const sink: Writable = partial ? createWriteStream(partial, { mode: 0o600 }) : process.stdout;
        await (secret ? pipeline(counted, encryptStream(secret), sink) : pipeline(counted, sink));
        if (partial && out) renameSync(partial, out); // a half-written file never carries the name
        bar.finish(`export done: ${n} lines${out ? ` to ${out}` : ''}`);
        return 0;
      } finally {
        if (partial) rmSync(partial, { force: true });
      }
    });
  },
};
