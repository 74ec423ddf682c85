// Native connection and login commands: greeting, INFO, IDEN, MSGP, MESG, NOOP/QNOP, TIME,
// USER/PASS (with the stock client's doubled PASS), NEWU, SETP, GETU/SETU, CHEK, LOUT, QUIT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => { f = await nativeFixture(); });
afterAll(async () => { await f?.stop(); });

describe('native connection commands', () => {
  it('greets with 200 and no angle brackets', async () => {
    const c = await f.connect();
    expect(c.greeting).toMatch(/^200 keep Citadel server ready\.$/);
    expect(c.greeting).not.toMatch(/[<>]/);
  });

  it('answers INFO with 25 lines in Citadel order', async () => {
    const c = await f.connect();
    const r = await c.cmd('INFO');
    expect(r.code).toBe(100);
    expect(r.lines).toHaveLength(25);
    expect(r.lines[1]).toBe('keep');
    expect(r.lines[3]).toBe('keep.test');
    expect(r.lines[10]).toBe('1');
    expect(r.lines[11]).toBe('1');
    expect(r.lines[13]).toBe('1');
    expect(r.lines[15]).toBe('0');
  });

  it('accepts IDEN and both MSGP forms with 2xx', async () => {
    const c = await f.connect();
    expect((await c.cmd('IDEN 0|0|916|local|Server info:')).code).toBe(200);
    expect((await c.cmd('MSGP dont_decode')).code).toBe(200);
    expect((await c.cmd('MSGP text/plain|text/html')).code).toBe(200);
  });

  it('serves MESG hello and answers 571 for a missing text', async () => {
    const c = await f.connect();
    const hello = await c.cmd('MESG hello');
    expect(hello.code).toBe(100);
    expect(hello.lines.join(' ')).toContain('Welcome');
    expect((await c.cmd('MESG nosuchtext')).code).toBe(571);
    expect((await c.cmd('MESG ../../etc/passwd')).code).toBe(571);
  });

  it('answers NOOP with 200 and QNOP with nothing', async () => {
    const c = await f.connect();
    expect((await c.cmd('NOOP')).raw).toBe('200 ok');
    c.send('QNOP');
    expect(await c.isSilent(300)).toBe(true);
    const before = Math.floor(Date.now() / 1000);
    const t = await c.cmd('TIME');
    expect(t.code).toBe(200);
    // the server's clock, read between sending and receiving (however long that took)
    expect(Number(t.text.split('|')[0])).toBeGreaterThanOrEqual(before);
    expect(Number(t.text.split('|')[0])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
  });

  it('reads the verb from the first four characters (MRTG|users)', async () => {
    const c = await f.connect();
    const r = await c.cmd('MRTG|users');
    expect(r.code).toBe(100);
    expect(r.lines).toHaveLength(4);
  });

  it('refuses room commands before login with 520', async () => {
    const c = await f.connect();
    expect((await c.cmd('GOTO Lobby|')).code).toBe(520);
    expect((await c.cmd('PASS x')).code).toBe(542);
  });

  it('closes after QUIT with 200 Goodbye.', async () => {
    const c = await f.connect();
    expect((await c.cmd('QUIT')).raw).toBe('200 Goodbye.');
    await c.closed;
  });
});

describe('native login', () => {
  it('logs in with USER and PASS and returns the 7 login fields', async () => {
    const c = await f.connect();
    expect((await c.cmd('USER admin')).raw).toBe('300 Password required for admin');
    const p = await c.cmd('PASS admin-secret');
    expect(p.code).toBe(200);
    const [name, level, , , , usernum] = p.text.split('|');
    expect(name).toBe('admin');
    expect(level).toBe('6');
    expect(Number(usernum)).toBeGreaterThan(0);
    expect((await c.cmd('USER admin')).code).toBe(541);
  });

  it('answers 570 for an unknown user', async () => {
    const c = await f.connect();
    expect((await c.cmd('USER nobody-here')).code).toBe(570);
  });

  it('counts the doubled PASS of a wrong password as one attempt', async () => {
    await (await f.as('Dana', 'right')).cmd('QUIT');
    const c = await f.connect();
    // the throttle allows 5 failures per account; 3 attempts sent twice are 3, not 6
    for (let i = 0; i < 3; i++) {
      expect((await c.cmd('USER Dana')).code).toBe(300);
      expect((await c.cmd('PASS wrong_pw!')).code).toBe(540);
      expect((await c.cmd('PASS wrongpw')).code).toBe(540);
    }
    await c.login('Dana', 'right');
  });

  it('creates an account with NEWU, sets its password with SETP, and logs in again', async () => {
    const c = await f.connect();
    const n = await c.cmd('NEWU Erin');
    expect(n.code).toBe(200);
    expect(n.text.split('|')[0]).toBe('Erin');
    expect((await c.cmd('SETP')).raw).toBe('200 Password unchanged.');
    expect((await c.cmd('SETP erin-secret')).raw).toBe('200 Password changed.');
    expect((await c.cmd('LOUT')).raw).toBe('200 logged out.');
    expect((await c.cmd('GOTO Lobby|')).code).toBe(520);
    await c.login('Erin', 'erin-secret');
    const again = await f.connect();
    expect((await again.cmd('NEWU erin')).code).toBe(574);
    expect((await again.cmd('NEWU bad|name!')).code).toBe(512);
  });

  it('keeps user-settable flags with GETU/SETU and refuses short SETU', async () => {
    const c = await f.as('Fay');
    expect((await c.cmd('GETU')).raw).toBe('200 80|24|0|');
    expect((await c.cmd('SETU 80|24|32')).code).toBe(200);
    expect((await c.cmd('GETU')).raw).toBe('200 80|24|32|');
    // server-side bits (1 needs validation, 4 permanent) cannot be set by the user
    expect((await c.cmd('SETU 80|24|8229')).code).toBe(200);
    expect((await c.cmd('GETU')).raw).toBe('200 80|24|8224|');
    expect((await c.cmd('SETU 80|24')).code).toBe(512);
  });

  it('reports unread mail and the address in CHEK', async () => {
    const gus = await f.as('Gus');
    const c = await f.as('Hal');
    expect((await c.cmd('ENT0 0|Gus|0|1|Hello|||||||||')).code).toBe(200);
    expect((await c.cmd('ENT0 1|Gus|0|1|Hello|||||||||')).code).toBe(400);
    c.sendListing(['hi Gus']);
    await c.cmd('NOOP');
    const r = await gus.cmd('CHEK');
    expect(r.text).toBe('1|0|0|gus@keep.test|');
  });
});
