// Acknowledged posts survive kill -9: 20 concurrent writers post through core while their
// process is killed at a random moment; every acked post is then present, readable and the
// store's invariants hold (issue 2).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ROOT, runKeepd } from '../../helpers/start-keep.ts';
import { Store } from '../../../src/store/index.ts';
import { createCore, systemActor, BASE_ROOM } from '../../../src/core/index.ts';

/** Run the writers and SIGKILL them the moment the killAt-th post is acknowledged (others are in flight). */
function runWriterAndKill(dataDir: string, killAt: number): Promise<{ acked: { msgnum: number; subject: string }[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/core-writer.ts'), dataDir, '20', '1024'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: { msgnum: number; subject: string }[] = [];
    let buf = '';
    let stderr = '';
    p.stderr.on('data', (d) => { stderr += d; });
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^ack (\d+) (w\d+ #\d+)$/.exec(line);
        if (m) acked.push({ msgnum: Number(m[1]), subject: m[2]! });
        if (acked.length === killAt) p.kill('SIGKILL');
      }
    });
    p.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended with ${code}: ${stderr}`));
      else resolve({ acked });
    });
  });
}

describe('durability under kill -9', () => {
  it('keeps every acknowledged post and the invariants hold', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keep-dur-'));
    try {
      // seed the store (rooms, admin) as a first start does
      const store0 = Store.open({ dataDir });
      const core0 = createCore({ store: store0, log: pino({ level: 'silent' }), settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1e6, newUserLevel: 3, softDeleteMs: 1000 } });
      await core0.seed({ name: 'admin', password: 'x' });
      await store0.close();

      let total = 0;
      for (let round = 0; round < 3; round++) {
        // counted, not timed: a busy machine acknowledges fewer posts per second, not fewer posts
        const { acked } = await runWriterAndKill(dataDir, 40 + Math.floor(Math.random() * 60));
        expect(acked.length).toBeGreaterThanOrEqual(40);
        total += acked.length;
        const store = Store.open({ dataDir });
        const core = createCore({ store, log: pino({ level: 'silent' }), settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 1e6, newUserLevel: 3, softDeleteMs: 1000 } });
        const actor = systemActor('test');
        const lobby = core.rooms.findByName(actor, BASE_ROOM)!;
        const inRoom = new Set(core.messages.list(actor, lobby.roomnum));
        for (const a of acked) {
          expect(inRoom.has(a.msgnum)).toBe(true);
          expect(core.messages.get(actor, a.msgnum).subject).toBe(a.subject);
        }
        await store.close();
      }
      expect(total).toBeGreaterThan(100);
      const check = await runKeepd(['check'], { KEEP_DATA_DIR: dataDir });
      expect(check.stdout).toContain('store is consistent');
      expect(check.code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
