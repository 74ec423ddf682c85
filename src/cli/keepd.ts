// Entry point of the keepd command (also the worker's entry, with KEEP_ROLE=worker).
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.env.KEEP_ROLE !== 'worker') process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`keepd: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
