import { afterEach, describe, expect, it } from 'vitest';
import { ClientError } from '../../../../clients/cli/src/errors.ts';
import { listingLines } from '../../../../clients/cli/src/wire/reply.ts';
import { Connection } from '../../../../clients/cli/src/wire/connection.ts';
import { startFakeServer, type FakeServer } from './fake-server.ts';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const open = (port: number, timeoutMs = 2000) => Connection.open({ host: '127.0.0.1', port, tls: 'off', timeoutMs });

describe('native client Connection', () => {
  it('reads a listing up to 000 and notes the * flag', async () => {
    server = await startFakeServer((l) => (l === 'LKRA -1' ? ['100*Known rooms:', 'Lobby|3|0|0|0|302|0|0|0|', '000'] : '200 ok'));
    const conn = await open(server.port);
    const reply = await conn.command('LKRA -1');
    expect(reply).toEqual({ code: 100, hasMessages: true, text: 'Known rooms:', lines: ['Lobby|3|0|0|0|302|0|0|0|'] });
    expect((await conn.command('NOOP')).hasMessages).toBe(false);
    conn.close();
  });

  it('sends the text and 000 after a 4xx and expects no further reply', async () => {
    server = await startFakeServer((l) => (l.startsWith('ENT0') ? '400 send message' : l === 'NOOP' ? '200 ok' : undefined));
    const conn = await open(server.port);
    expect((await conn.command('ENT0 1||0|1|', { send: listingLines('hello\n000\nend\n') })).code).toBe(400);
    expect((await conn.command('NOOP')).code).toBe(200);
    expect(server.received).toEqual(['ENT0 1||0|1|', 'hello', ' 000', 'end', '000', 'NOOP']);
    conn.close();
  });

  it('drains a 9xx notice and returns the real reply', async () => {
    server = await startFakeServer(() => ['902 notice', 'something', '000', '200 Lobby|0|0|'].map(String));
    const conn = await open(server.port);
    expect((await conn.command('GOTO Lobby|')).text).toBe('Lobby|0|0|');
    conn.close();
  });

  it('refuses a server whose greeting is not 2xx', async () => {
    server = await startFakeServer(() => undefined, '551 keep: Too many users are already online');
    await expect(open(server.port)).rejects.toThrow(/refused the connection: keep: Too many users/);
  });

  it('fails a command with a lost-connection error when the server closes mid-reply', async () => {
    server = await startFakeServer((_l, socket) => { socket.end('100 Known rooms:\nLobby|3|\n'); return undefined; });
    const conn = await open(server.port);
    const err = await conn.command('LKRA -1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).kind).toBe('lost');
    expect(conn.isClosed).toBe(true);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    server = await startFakeServer(() => undefined);
    const conn = await open(server.port, 300);
    await expect(conn.command('NOOP')).rejects.toThrow(/no reply from 127\.0\.0\.1:\d+ within/);
  });

  it('reports a refused connection in words', async () => {
    server = await startFakeServer(() => undefined);
    const port = server.port;
    await server.close();
    server = undefined;
    await expect(open(port)).rejects.toThrow(/connection refused \(is keepd running\?\)/);
  });
});
