// Real IMAP clients against keepd: python's imaplib (login, list, select, search, fetch, store)
// and curl's imap:// (list, fetch by UID, search).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { flow, message, startWithUsers } from './fixture.ts';

let keep: Keep;
let uid = 0;
beforeAll(async () => {
  keep = await startWithUsers(['alice']);
  const c = await flow(keep, 'alice');
  await c.append('INBOX', message('Greetings from curl land', 'Plain body for real clients.\r\n'));
  const res = await c.append('INBOX', message('Second one', 'Another body.\r\n'));
  uid = (res as { uid: number }).uid;
  await c.logout();
});
afterAll(async () => { await keep?.stop(); });

function run(cmd: string, args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdin.end(input);
    p.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

describe('IMAP with real clients', () => {
  it('works with python imaplib', async () => {
    const script = `
import imaplib, sys
m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
print(m.login('alice', 'alice-pw')[0])
typ, boxes = m.list()
print('LIST', typ, any(b'"INBOX"' in b or b' INBOX' in b for b in boxes))
typ, data = m.select('INBOX')
print('SELECT', typ, data[0].decode())
typ, data = m.search(None, 'SUBJECT', '"curl land"')
print('SEARCH', typ, data[0].decode())
typ, data = m.fetch(data[0].decode(), '(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
print('FETCH', typ, data[0][1].decode().strip())
typ, data = m.store('2', '+FLAGS', '\\\\Flagged')
print('STORE', typ, data[0].decode())
typ, data = m.uid('SEARCH', None, 'FLAGGED')
print('UIDSEARCH', typ, data[0].decode())
m.close()
print(m.logout()[0])
`;
    const r = await run('python3', ['-c', script, String(keep.ports.imap)]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'OK', 'LIST OK True', 'SELECT OK 2', 'SEARCH OK 1', 'FETCH OK Subject: Greetings from curl land', 'STORE OK 2 (FLAGS (\\Recent \\Flagged))', `UIDSEARCH OK ${uid}`, 'BYE', '',
    ]);
  });

  it('works with curl imap://', async () => {
    const base = `imap://127.0.0.1:${keep.ports.imap}`;
    const auth = ['--user', 'alice:alice-pw', '--silent', '--show-error', '--max-time', '15'];
    const list = await run('curl', [...auth, `${base}/`]);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/\* LIST \([^)]*\) "\/" INBOX/);
    const fetched = await run('curl', [...auth, `${base}/INBOX;UID=${uid}`]);
    expect(fetched.stdout).toContain('Subject: Second one');
    expect(fetched.stdout).toContain('Another body.');
    const search = await run('curl', [...auth, `${base}/INBOX?SUBJECT%20Second`]);
    expect(search.stdout.trim()).toBe('* SEARCH 2');
  });
});
