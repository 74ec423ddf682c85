// Progress of long work (backup, export, import): a one-line bar with counts and rate on a
// terminal, a log line every few seconds otherwise.
import type { Logger } from '../log/index.ts';

export interface Progress {
  update(done: number, extra?: string): void;
  finish(summary: string): void;
}

export function progress(what: string, log: Logger, opts: { total?: number; stream?: NodeJS.WriteStream } = {}): Progress {
  const out = opts.stream ?? process.stderr;
  const started = Date.now();
  let lastLog = started;
  const rate = (done: number) => Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  return {
    update(done, extra = '') {
      if (out.isTTY) {
        const total = opts.total;
        const bar = total ? `[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30)}] ` : '';
        out.write(`\r${what}: ${bar}${done}${total ? `/${total}` : ''} records, ${rate(done)}/s ${extra}`);
        return;
      }
      if (Date.now() - lastLog >= 5000) {
        lastLog = Date.now();
        log.info({ what, done, perSecond: rate(done) }, `${what}: ${done} records`);
      }
    },
    finish(summary) {
      if (out.isTTY) out.write('\n');
      log.info({ what, ms: Date.now() - started }, summary);
    },
  };
}
