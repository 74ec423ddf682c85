// The LMDB map grows by itself before it fills: writing far past the initial map size works
// and everything written is read back (issue 2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/index.ts';

describe('Store map size', () => {
  it('grows past the initial map size and keeps every write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keep-map-'));
    const store = Store.open({ dataDir: dir, mapSize: 1024 * 1024 });
    try {
      const chunk = Buffer.alloc(64 * 1024, 7);
      for (let batch = 0; batch < 8; batch++) {
        await store.write(() => {
          for (let i = 0; i < 8; i++) store.dbs.bodies.putSync(batch * 8 + i + 1, chunk);
        });
      }
      // 64 × 64 KiB = 4 MiB in a map that started at 1 MiB
      let total = 0;
      for (let n = 1; n <= 64; n++) total += store.dbs.bodies.get(n)?.length ?? 0;
      expect(total).toBe(64 * 64 * 1024);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
