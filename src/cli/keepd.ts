// Entry point of the keepd command (also the worker's entry, with KEEP_ROLE=worker).
import { main } from './main.ts';

// everything keepd writes (the store, snapshots, exports, backups, TLS keys) is for its own
// user alone: files 0600, directories 0700, whatever the shell's umask
process.umask(0o077);

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.env.KEEP_ROLE !== 'worker') process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`keepd: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
