// Native shutdown: a stopping server says goodbye to every native session in protocol words
// (531) and exits cleanly.
import { describe, expect, it } from 'vitest';
import { nativeFixture } from './fixture.ts';

describe('native shutdown', () => {
  it('sends 531 to connected sessions and exits 0', async () => {
    const f = await nativeFixture();
    const idle = await f.connect();
    const busy = await f.as('admin');
    expect((await busy.cmd('ENT0 1||0|1|unfinished|||||||||')).code).toBe(400);
    busy.send('a line that never gets its 000');
    const code = f.keep.stop();
    expect(await idle.readLine(10_000)).toBe('531 Server is shutting down; goodbye.');
    expect(await busy.readLine(10_000)).toBe('531 Server is shutting down; goodbye.');
    await idle.closed;
    expect(await code).toBe(0);
  });
});
