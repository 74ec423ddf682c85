import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdable } from '../../../src/net/input-hold.ts';

/** A writable that takes one chunk and then waits until told to finish it (a busy parser). */
function slowWritable(): { w: Writable; finish(): void } {
  let done: (() => void) | undefined;
  const w = new Writable({ highWaterMark: 1, write(_c, _e, cb) { done = cb; } });
  return { w, finish: () => { const d = done; done = undefined; d?.(); } };
}

describe('input hold', () => {
  it('stops a flowing stream and starts it again on release', () => {
    const s = new PassThrough();
    s.on('data', () => undefined);
    const h = holdable(s);
    h.hold();
    expect(s.isPaused()).toBe(true);
    h.release();
    expect(s.isPaused()).toBe(false);
  });

  it('keeps the owner\'s resume for later while held', () => {
    const s = new PassThrough();
    s.on('data', () => undefined);
    const h = holdable(s);
    h.hold();
    s.pause();
    s.resume(); // the owner (ws after its receiver drained) wants to read again
    expect(s.isPaused()).toBe(true);
    h.release();
    expect(s.isPaused()).toBe(false);
  });

  it('leaves a stream paused that its owner paused meanwhile (a pipe waiting for its parser)', async () => {
    const r = new Readable({ read() { /* pushed by hand */ } });
    const { w, finish } = slowWritable();
    const h = holdable(r);
    r.pipe(w);
    r.push('a');
    r.push('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.isPaused()).toBe(true); // the pipe waits for its writable
    h.hold();
    h.release();
    expect(r.isPaused()).toBe(true);
    for (let i = 0; i < 2; i++) {
      finish(); // 'a', then 'b': the writable drains
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(r.isPaused()).toBe(false); // the pipe's own resume still works
  });

  it('does not start a stream nobody reads yet', () => {
    const s = new PassThrough();
    const h = holdable(s);
    h.hold();
    h.release();
    expect(s.readableFlowing).not.toBe(true);
  });
});
