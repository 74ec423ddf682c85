// Dovecot's IMAP compliance tester against a fresh keepd: every imaptest script on its own with a
// fresh user (the tool's run.sh), and not one may fail. Scripts whose capability Keep does not
// advertise are skipped by imaptest itself. Without a runnable imaptest binary this test is
// skipped, and says so loudly. The tool lives in ../shared/tools/imaptest (KEEP_IMAPTEST_DIR
// overrides).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startKeep, type Keep } from '../../helpers/start-keep.ts';

const TOOL = process.env.KEEP_IMAPTEST_DIR ?? resolve(ROOT, '../shared/tools/imaptest');
const ADDUSER = join(ROOT, 'test/imaptest/adduser.sh');

/** Why imaptest cannot run here, or undefined when it can. */
function unavailable(): string | undefined {
  const bin = join(TOOL, 'bin/imaptest');
  if (!existsSync(bin) || !existsSync(join(TOOL, 'run.sh'))) return `no imaptest at ${TOOL}`;
  const probe = spawnSync(bin, ['--help'], { env: { ...process.env, LD_LIBRARY_PATH: join(TOOL, 'lib') }, encoding: 'utf8', timeout: 10_000 });
  const out = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  if (probe.error || /error while loading shared libraries|not found|cannot execute/i.test(out)) return `imaptest does not run: ${probe.error?.message ?? out.slice(0, 200)}`;
  return undefined;
}

const reason = unavailable();
if (reason) console.warn(`\n*** imaptest compliance suite SKIPPED: ${reason} ***\n`);

let keep: Keep;
beforeAll(async () => {
  if (reason) return;
  keep = await startKeep({ env: { KEEP_AUTH_FAILURE_LIMIT: '1000' } });
}, 120_000);
afterAll(async () => {
  await keep?.stop();
});

function runSuite(port: number, nativePort: number): Promise<{ code: number | null; out: string }> {
  const outDir = mkdtempSync(join(tmpdir(), 'keep-imaptest-'));
  return new Promise((res) => {
    const p = spawn('bash', [join(TOOL, 'run.sh'), '--port', String(port), '--out', outDir, '--adduser', `${ADDUSER} ${nativePort} {user} {pass}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => res({ code, out }));
  });
}

describe.skipIf(reason !== undefined)('imaptest compliance suite', () => {
  it('passes every script Keep advertises the capabilities of', async () => {
    const { code, out } = await runSuite(keep.ports.imap, keep.ports.native);
    const failed = out.split('\n').filter((l) => l.includes('| FAIL |'));
    if (failed.length || code !== 0) console.error(out);
    expect(failed).toEqual([]);
    expect(out).toMatch(/imaptest: \d+ passed, 0 failed/);
    expect(code).toBe(0);
  }, 900_000);
});
