// keepd import FILE: load an export (plain or encrypted) into the EMPTY data directory that
// KEEP_DATA_DIR names. The store is built beside it and moved into place only when the whole
// stream was read and verified, so a wrong passphrase or a damaged file never leaves half a store.
import { createReadStream, existsSync, mkdirSync, openSync, readSync, closeSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DecryptError, ExportFormatError, decryptStream, importLines, isEncrypted, systemActor } from '../../core/index.ts';
import { Store } from '../../store/index.ts';
import { openCore } from '../../server.ts';
import { cliOrigin, positionals } from './args.ts';
import type { CliRunner } from './types.ts';
import { passphrase } from '../passphrase.ts';
import { progress } from '../progress.ts';

async function* linesOf(stream: Readable): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

function firstBytes(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(n);
    return b.subarray(0, readSync(fd, b, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

export const importStore: CliRunner = {
  async run({ config, args, log }) {
    const [file] = positionals(args, 1, 'FILE');
    const dataDir = config.dataDir;
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      process.stderr.write(`keepd import: refused: data directory ${dataDir} is not empty (import needs an empty one)\n`);
      return 1;
    }
    if (!existsSync(file!)) {
      process.stderr.write(`keepd import: cannot read ${file}: no such file\n`);
      return 1;
    }
    const secret = isEncrypted(firstBytes(file!, 16)) ? await passphrase({ isNew: false }) : undefined;
    const staging = `${dataDir.replace(/\/+$/, '')}.import-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const bar = progress('import', log);
    try {
      const store = Store.open({ dataDir: staging });
      try {
        const input: Readable = secret ? createReadStream(file!, { highWaterMark: 1 << 20 }).pipe(decryptStream(secret)) : createReadStream(file!, { highWaterMark: 1 << 20 });
        const counts = await importLines(store, linesOf(input), (c) => bar.update(c.records));
        bar.finish(`import read ${counts.records} records (${counts.users} users, ${counts.rooms} rooms, ${counts.messages} messages)`);
      } finally {
        await store.close();
      }
      const { core, store: s2 } = await openCore({ ...config, dataDir: staging }, log);
      try {
        await core.audit.record(systemActor(cliOrigin()), 'store.import', file, { into: dataDir });
      } finally {
        await s2.close();
      }
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      renameSync(join(staging, 'keep.mdb'), join(dataDir, 'keep.mdb'));
      process.stdout.write(`imported ${file} into ${dataDir}\n`);
      return 0;
    } catch (err) {
      if (err instanceof DecryptError || err instanceof ExportFormatError) {
        process.stderr.write(`keepd import: refused: ${err.message}; nothing was imported\n`);
        return 1;
      }
      throw err;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  },
};
