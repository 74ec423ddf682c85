// Run a command's work on core over the configured store, closing the store however it ends.
import type { Config } from '../../config/index.ts';
import type { Core } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { openCore } from '../../server.ts';

export async function withCore<T>(config: Config, log: Logger, work: (core: Core) => Promise<T>): Promise<T> {
  const { core, store } = await openCore(config, log);
  try {
    return await work(core);
  } finally {
    await store.close();
  }
}
