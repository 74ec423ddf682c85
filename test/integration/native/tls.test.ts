// Native TLS: STLS upgrades a plain connection (and discards clear text pipelined after it);
// the 'native-tls' listener speaks TLS from the first byte.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeFixture, type NativeFixture } from './fixture.ts';

let f: NativeFixture;
beforeAll(async () => { f = await nativeFixture(); });
afterAll(async () => { await f?.stop(); });

describe('native STLS', () => {
  it('upgrades to TLS and keeps serving the session over it', async () => {
    const c = await f.connect();
    expect((await c.cmd('STLS')).raw).toBe('200 Begin TLS negotiation now');
    await c.startTls();
    expect((c.socket as tls.TLSSocket).encrypted).toBe(true);
    await c.login('admin', f.keep.adminPassword);
    expect((await c.cmd('GOTO _BASEROOM_|')).code).toBe(200);
    expect((await c.cmd('STLS')).code).toBe(560);
  });

  it('drops clear text pipelined after STLS', async () => {
    const c = await f.connect();
    c.socket.write('STLS\nUSER admin\n');
    expect((await c.reply()).code).toBe(200);
    await c.startTls();
    // had "USER admin" survived, this PASS would log in
    expect((await c.cmd(`PASS ${f.keep.adminPassword}`)).code).toBe(542);
  });
});

describe('native implicit TLS listener', () => {
  it('greets over TLS and serves commands', async () => {
    const c = await f.connect({ tls: true });
    expect(c.greeting).toMatch(/^200 keep Citadel server ready\.$/);
    expect((c.socket as tls.TLSSocket).encrypted).toBe(true);
    expect((await c.cmd('INFO')).lines).toHaveLength(25);
    expect((await c.cmd('STLS')).code).toBe(560);
  });
});
