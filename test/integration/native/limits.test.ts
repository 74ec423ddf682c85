// Native limits and bad input: unknown verbs and garbage (530), overlong lines (511), the bad
// command limit, the idle timeout's goodbye line, the per-address connection cap, login
// throttling, and clients that vanish mid-listing or mid-ENT0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => {
  f = await nativeFixture({
    KEEP_IDLE_TIMEOUT: '2', KEEP_MAX_CONNECTIONS_PER_ADDRESS: '6', KEEP_MAX_LINE_LENGTH: '300',
    KEEP_NATIVE_MAX_BAD_COMMANDS: '4', KEEP_AUTH_FAILURE_LIMIT: '3',
  });
});
afterAll(async () => { await f?.stop(); });

describe('native bad input', () => {
  it('answers an unknown verb and binary garbage with 530, logs it, and keeps serving', async () => {
    const c = await f.connect();
    expect((await c.cmd('FROB something')).raw).toBe('530 Unrecognized or unsupported command.');
    c.socket.write(Buffer.from([0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x41, 0x0a]));
    expect((await c.reply()).code).toBe(530);
    expect((await c.cmd('')).code).toBe(530);
    expect((await c.cmd('NOOP')).raw).toBe('200 ok');
    await f.keep.waitForLog((l) => l.proto === 'native' && l.msg === 'unknown command', 5000);
    c.close();
  });

  it('drops an overlong line with 511 and goes on', async () => {
    const c = await f.connect();
    const r = await c.cmd(`NOOP ${'x'.repeat(5000)}`);
    expect(r.raw).toBe('511 Line too long (limit 300 bytes).');
    expect((await c.cmd('NOOP')).raw).toBe('200 ok');
    c.close();
  });

  it('says goodbye after too many bad commands', async () => {
    const c = await f.connect();
    for (let i = 0; i < 3; i++) expect((await c.cmd('BLAH')).code).toBe(530);
    c.send('BLAH');
    expect((await c.reply()).code).toBe(530);
    expect(await c.readLine()).toBe('511 Too many bad commands; goodbye.');
    await c.closed;
  });

  it('stores nothing when a client disconnects in the middle of ENT0', async () => {
    const w = await f.as('Mia');
    const before = (await w.cmd('MSGS ALL||0')).lines;
    expect((await w.cmd('ENT0 1||0|1|half|||||||||')).code).toBe(400);
    w.socket.write('first line\nsecond line\n');
    w.close();
    await w.closed;
    await f.keep.waitForLog((l) => l.msg === 'disconnected while sending text; nothing stored', 5000);
    const r = await f.as('Mia');
    expect((await r.cmd('MSGS ALL||0')).lines).toEqual(before);
    r.close();
  });

  it('survives a client that disconnects in the middle of a listing', async () => {
    const w = await f.as('Noa');
    for (let i = 0; i < 20; i++) {
      await w.cmd('ENT0 1||0|1|bulk|||||||||');
      w.sendListing([`bulk ${i} ${'y'.repeat(200)}`]);
    }
    w.send('MSGS ALL||0');
    for (let i = 0; i < 20; i++) w.send('MSG4 1|0');
    w.close();
    const other = await f.connect();
    expect((await other.cmd('NOOP')).raw).toBe('200 ok');
    other.close();
  });
});

describe('native limits', () => {
  it('keeps serving others while a client never reads its replies, and times that client out', async () => {
    const t0 = Date.now();
    const c = await f.connect();
    c.socket.pause();
    c.socket.write('INFO\n'.repeat(40_000));
    const other = await f.connect();
    expect((await other.cmd('NOOP')).raw).toBe('200 ok');
    other.close();
    // the silent, stuck session is ended by the idle timeout (2 s here) even with replies unsent
    await f.keep.waitForLog((l) => l.proto === 'native' && l.why === 'idle timeout' && Number(l.time) >= t0);
    c.close();
  });

  it('ends a silent session after the idle timeout with a goodbye line', async () => {
    const c = await f.connect();
    const line = await c.readLine(30_000);
    expect(line).toBe('531 Idle for 2 seconds; goodbye.');
    await c.closed;
  });

  it('throttles failed logins and closes a session that reaches the limit', async () => {
    const setup = await f.as('Olga', 'right');
    setup.close();
    const c = await f.connect();
    await c.cmd('USER Olga');
    expect((await c.cmd('PASS no1')).raw).toBe('540 Wrong password.');
    expect((await c.cmd('PASS no2')).raw).toBe('540 Wrong password.');
    expect((await c.cmd('PASS no3')).raw).toBe('540 Wrong password. Too many failures; goodbye.');
    await c.closed;
    const d = await f.connect();
    await d.cmd('USER Olga');
    expect((await d.cmd('PASS right')).raw).toBe('540 Too many failed logins; try again later.');
    d.close();
  });

  // last: the sessions it closes may still count against the cap for a moment after it ends
  it('refuses connections over the per-address cap with 551', async () => {
    const held: NativeClient[] = [];
    try {
      // other tests' sessions may still be closing: fill up to the cap, then one more
      for (let i = 0; i < 6; i++) {
        const c = await NativeClient.connect(f.port);
        if (!c.greeting.startsWith('200')) break;
        held.push(c);
      }
      const extra = await NativeClient.connect(f.port);
      expect(extra.greeting).toBe('551 Too many connections from your address; try again later.');
      await extra.closed;
      held.pop()!.close();
      const again = await waitForGreeting(f.port);
      expect(again.greeting).toMatch(/^200 /);
      again.close();
    } finally {
      for (const c of held) c.close();
    }
  });
});

/** Connect until the server has noticed a closed slot (bounded). */
async function waitForGreeting(port: number): Promise<NativeClient> {
  for (let i = 0; i < 50; i++) {
    const c = await NativeClient.connect(port);
    if (c.greeting.startsWith('200')) return c;
    c.close();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no free connection slot');
}

