// Password hashes take turns: at most the configured number run at once, the rest queue in
// order, and each turn's slot passes straight to the next in line (issue 19: a burst of logins
// must leave the event loop and LMDB's commits a core).
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HashTurns, hashPassword, verifyPassword } from '../../../../src/core/users/password.ts';

/** A job the test finishes by hand, recording when it started. */
function manual(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  return { job: async () => { started.push(name); await done; return name; }, finish };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('HashTurns', () => {
  it('runs at most its limit at once and the rest in the order they came', async () => {
    const turns = new HashTurns(1);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((n) => manual(started, n));
    const results = jobs.map((j) => turns.run(j.job));
    await settle();
    expect(started).toEqual(['a']);
    jobs[0]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b']);
    jobs[1]!.finish();
    jobs[2]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(turns.stats.hashes).toBe(3);
  });

  it('passes a failed job\'s slot on', async () => {
    const turns = new HashTurns(1);
    const failing = turns.run(async () => { throw new Error('bad parameters'); });
    const next = turns.run(async () => 'next');
    await expect(failing).rejects.toThrow('bad parameters');
    expect(await next).toBe('next');
  });

  it('starts waiting jobs at once when the limit is raised', async () => {
    const turns = new HashTurns(1);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c'].map((n) => manual(started, n));
    const results = jobs.map((j) => turns.run(j.job));
    await settle();
    turns.setLimit(3);
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const j of jobs) j.finish();
    await Promise.all(results);
  });

  it('keeps to a lowered limit: a finished job hands its slot on only while under it', async () => {
    const turns = new HashTurns(2);
    const started: string[] = [];
    const jobs = ['a', 'b', 'c', 'd'].map((n) => manual(started, n));
    const results = jobs.map((j) => turns.run(j.job));
    await settle();
    expect(started).toEqual(['a', 'b']);
    turns.setLimit(1);
    jobs[0]!.finish();
    await settle();
    // b still runs, and that is the one turn there is now
    expect(started).toEqual(['a', 'b']);
    jobs[1]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    jobs[2]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    jobs[3]!.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('takes 0 to mean one fewer than the cores, never less than one', async () => {
    const turns = new HashTurns(0);
    const started: string[] = [];
    const cores = availableParallelism();
    const jobs = Array.from({ length: cores + 1 }, (_, i) => manual(started, `job ${i}`));
    const results = jobs.map((j) => turns.run(j.job));
    await settle();
    expect(started).toHaveLength(Math.max(1, cores - 1));
    for (const j of jobs) j.finish();
    await Promise.all(results);
    expect(started).toHaveLength(cores + 1);
  });
});

describe('password hashes through the turns', () => {
  it('still hash and verify', async () => {
    const stored = await hashPassword('correct horse');
    const [right, wrong] = await Promise.all([verifyPassword('correct horse', stored), verifyPassword('wrong horse', stored)]);
    expect([right, wrong]).toEqual([true, false]);
  });
});
