// Shared setup for native integration tests: one keepd per test file, users made over the wire.
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

export interface NativeFixture {
  keep: Keep;
  port: number;
  /** a connected client, not logged in; closed after the file */
  connect(opts?: { tls?: boolean }): Promise<NativeClient>;
  /** a connected client logged in as this user (created with NEWU + SETP on first use) */
  as(name: string, password?: string): Promise<NativeClient>;
  stop(): Promise<void>;
}

export async function nativeFixture(env: Record<string, string> = {}): Promise<NativeFixture> {
  const keep = await startKeep({ env });
  const clients: NativeClient[] = [];
  const created = new Set<string>();
  const connect = async (opts: { tls?: boolean } = {}) => {
    const c = await NativeClient.connect(opts.tls ? keep.ports['native-tls'] : keep.ports.native, opts);
    clients.push(c);
    return c;
  };
  return {
    keep,
    port: keep.ports.native,
    connect,
    async as(name, password = `${name}-pw`) {
      const c = await connect();
      if (name === keep.adminUser) {
        await c.login(name, keep.adminPassword);
        return c;
      }
      if (!created.has(name)) {
        created.add(name);
        const n = await c.cmd(`NEWU ${name}`);
        if (n.code !== 200) throw new Error(`NEWU ${name}: ${n.raw}`);
        const p = await c.cmd(`SETP ${password}`);
        if (p.code !== 200) throw new Error(`SETP: ${p.raw}`);
        return c;
      }
      await c.login(name, password);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await keep.stop();
    },
  };
}
