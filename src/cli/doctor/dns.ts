// Doctor: DNS records (MX, SPF, DKIM, DMARC, PTR) as `keepd dns --check` sees them. That command
// is being written separately (issue 20); until it is in the command table this check says it is
// not available. Once it exists the doctor runs it and reports its verdict: exit 0 ok, else fail.
import { spawn } from 'node:child_process';
import { COMMANDS } from '../commands/index.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

/** The hook: `keepd dns --check` with the doctor's own settings, when this build has it. */
export async function checkDns(ctx: DoctorContext): Promise<CheckResult[]> {
  // `keepd dns --check`, or a two-word `keepd dns check`: whichever the command table has
  const words = COMMANDS.dns ? ['dns', '--check'] : COMMANDS['dns check'] ? ['dns', 'check'] : undefined;
  if (!words) return [result('dns', 'warn', 'dns check not available (keepd dns --check is not in this build yet)')];
  const settings = process.argv.slice(3).filter((a) => a !== '--json');
  const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
    const p = spawn(process.execPath, [process.argv[1]!, ...words, ...settings], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d) => { text += d; });
    p.stderr.on('data', (d) => { text += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), ctx.timeoutMs * 6);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, text }); });
  });
  const last = out.text.trim().split('\n').filter(Boolean).slice(-3).join('; ');
  return [result('dns', out.code === 0 ? 'ok' : 'fail', last || `keepd dns --check exited ${out.code}`)];
}
