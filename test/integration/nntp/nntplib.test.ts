// A real client: python's nntplib (stdlib in 3.11) lists groups, reads overview and articles, posts.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keep } from '../../helpers/start-keep.ts';
import { postText, startNntpKeep } from './fixture.ts';

const SCRIPT = join(import.meta.dirname, 'nntplib-client.py');
let keep: Keep;
beforeAll(async () => {
  keep = await startNntpKeep();
  await postText(keep, 'Kitchen', [
    { subject: 'Welcome to the kitchen', text: 'first native post' },
    { subject: 'Recipes', text: 'flour\n.and a dotted line\nwater' },
  ]);
});
afterAll(async () => { await keep?.stop(); });

function runPython(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('python3', [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 90_000);
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

describe('NNTP with python nntplib', () => {
  it('lists groups, reads overview and articles, and posts a follow-up', async () => {
    const started = Date.now();
    const r = await runPython([String(keep.ports.nntp), 'alice', 'alice-pw', 'keep.main-floor.kitchen']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.caps).toEqual(expect.arrayContaining(['READER', 'OVER', 'HDR', 'POST', 'VERSION']));
    expect(out.groups).toEqual(expect.arrayContaining(['keep.main-floor.kitchen', 'keep.main-floor.lobby']));
    expect(out.descriptions['keep.main-floor.lobby']).toBe('The base room: everyone starts here.');
    expect(out.group[0]).toBe(2);
    expect(out.overview.map((o: { subject: string }) => o.subject)).toEqual(['Welcome to the kitchen', 'Recipes']);
    expect(out.overview[0].from).toBe('Keep <postmaster@keep.test>');
    expect(out.article.lines).toContain('first native post');
    expect(out.article.lines).toContain('Newsgroups: keep.main-floor.kitchen');
    expect(out.body_by_id).toEqual(['flour', '.and a dotted line', 'water']);
    expect(out.post).toMatch(/^240 /);
    expect(out.after_post[0]).toBe(3);
    expect(out.posted_article).toContain('.a line that starts with a dot');
    expect(out.posted_article).toContain(`References: ${out.overview[0]['message-id']}`);
    // DATE is the server's clock while the script ran: after it started, before it ended (whole seconds)
    expect(Date.parse(`${out.date}Z`)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
    expect(Date.parse(`${out.date}Z`)).toBeLessThanOrEqual(Date.now());
    expect(out.xhdr.map((h: [number, string]) => h[1])).toEqual(['Welcome to the kitchen', 'Recipes', 'posted by nntplib']);
  });
});
