// Ten thousand idle connections (issue 10), spread over the native, IMAP and WebSocket listeners
// from several 127.0.0.x addresses: all are held at once, new clients are still served, and the
// worker's memory per connection is reported.
import { afterAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { allOpen, holdConnections, webCookie, type Held } from '../../helpers/many-connections.ts';
import { NativeClient } from '../../helpers/native-client.ts';

const TOTAL = Number(process.env.CONNECTIONS ?? 10_000);
let keep: Keep | undefined;
let held: Held | undefined;
afterAll(async () => {
  held?.close();
  await keep?.stop();
});

describe('many idle connections', () => {
  it(`holds ${TOTAL} at once and still serves new clients`, async () => {
    keep = await startKeep();
    const cookie = await webCookie(keep, 'admin', keep.adminPassword);
    const before = (await keep.healthz()) as unknown as { worker: { rssBytes: number } };
    const started = Date.now();
    held = await holdConnections(keep, TOTAL, { cookie });
    const openMs = Date.now() - started;
    expect(held.native.length + held.imap.length + held.ws.length).toBe(TOTAL);
    const during = (await keep.healthz()) as unknown as { worker: { rssBytes: number }; connections: number; restarts: number };
    expect(during.restarts).toBe(0);
    // a newcomer is served while all of them wait
    const c = await NativeClient.connect(keep.ports.native);
    expect((await c.login('admin', keep.adminPassword)).code).toBe(200);
    c.close();
    expect(allOpen(held)).toBe(true);
    const perConnection = Math.round((during.worker.rssBytes - before.worker.rssBytes) / TOTAL);
    console.log(`${TOTAL} idle connections opened in ${openMs} ms; worker RSS ${Math.round(before.worker.rssBytes / 2 ** 20)} → ${Math.round(during.worker.rssBytes / 2 ** 20)} MiB, about ${perConnection} bytes per connection`);
  }, 400_000);
});
