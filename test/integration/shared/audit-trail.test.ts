// The audit trail (issue 9): destructive and administrative actions from the native protocol and
// from the command line are recorded with who, what, when and from where; deleted rooms and
// messages come back with `keepd restore` within the soft-delete window.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { NativeClient } from '../../helpers/native-client.ts';

interface Entry { time: number; actor: string; action: string; target?: string; origin: string }

let keep: Keep;
const scratch = mkdtempSync(join(tmpdir(), 'keep-audit-'));
beforeAll(async () => { keep = await startKeep(); });
afterAll(async () => {
  await keep?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function trail(): Promise<Entry[]> {
  return JSON.parse((await keep.cli(['audit', '--json'])).stdout) as Entry[];
}

/** As admin over the native protocol: make a room with one message, delete the message, then the room. */
async function makeAndDelete(room: string): Promise<void> {
  const admin = await NativeClient.connect(keep.ports.native);
  try {
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    expect((await admin.cmd(`CRE8 1|${room}|0||0`)).code).toBe(200);
    expect((await admin.cmd(`GOTO ${room}`)).code).toBe(200);
    expect((await admin.cmd('ENT0 1||0|1|doomed|')).code).toBe(400);
    admin.sendListing(['to be deleted']);
    const n = Number((await admin.cmd('MSGS LAST|1')).lines[0]);
    expect((await admin.cmd(`DELE ${n}`)).code).toBe(200);
    expect((await admin.cmd('KILL 1')).code).toBe(200);
  } finally {
    admin.close();
  }
}

describe('the audit trail', () => {
  it('records administrative and destructive native commands with the aide and address', async () => {
    const admin = await NativeClient.connect(keep.ports.native);
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    expect((await admin.cmd('CREU Zed|zed-pw-1')).code).toBe(200);
    expect((await admin.cmd('ASUP Zed||0|0|0|5|')).code).toBe(200);
    expect((await admin.cmd('CRE8 1|Scratch|0||0')).code).toBe(200);
    expect((await admin.cmd('GOTO Scratch')).code).toBe(200);
    expect((await admin.cmd('ENT0 1||0|1|doomed|')).code).toBe(400);
    admin.sendListing(['to be deleted']);
    const n = Number((await admin.cmd('MSGS LAST|1')).lines[0]);
    expect((await admin.cmd(`DELE ${n}`)).code).toBe(200);
    expect((await admin.cmd('KILL 1')).code).toBe(200);
    expect((await admin.cmd('MIGR export')).code).toBe(100);
    const zed = await NativeClient.connect(keep.ports.native);
    expect((await zed.login('Zed', 'zed-pw-1')).code).toBe(200);
    expect((await zed.cmd('SETP zed-pw-2')).code).toBe(200);
    admin.close();
    zed.close();

    const t = await trail();
    const native = t.filter((e) => e.origin.startsWith('native:127.0.0.1'));
    const seen = native.map((e) => `${e.actor} ${e.action} ${e.target ?? ''}`.trim());
    expect(seen).toEqual(expect.arrayContaining([
      'admin user.create Zed', 'admin user.level Zed', 'admin room.create Scratch',
      'admin message.delete Scratch', 'admin room.delete Scratch', 'admin store.export', 'Zed user.password Zed',
    ]));
    for (const e of native) expect(e.time).toBeGreaterThan(Date.now() - 600_000);
  });

  // many keepd CLI runs, each a node process that loads the code: slow on a busy machine
  it('records command-line administration, and restores what was deleted', { timeout: 300_000 }, async () => {
    await makeAndDelete('Shelf');
    expect((await keep.cli(['user', 'add', 'Yan', '--password', 'yan-pw'])).code).toBe(0);
    expect((await keep.cli(['user', 'set-level', 'Yan', '2'])).code).toBe(0);
    expect((await keep.cli(['user', 'passwd', 'Yan'], 'yan-pw-2\n')).code).toBe(0);
    const deleted = JSON.parse((await keep.cli(['room', 'list', '--deleted', '--json'])).stdout) as { roomnum: number; name: string }[];
    const shelf = deleted.find((r) => r.name === 'Shelf')!;
    expect((await keep.cli(['restore', 'room', String(shelf.roomnum)])).stdout).toContain('restored room Shelf');
    const msg = (await trail()).find((e) => e.action === 'message.delete' && e.target === 'Shelf') as Entry & { details?: { msgnums: number[] } };
    const msgnum = msg.details!.msgnums[0]!;
    expect((await keep.cli(['restore', 'message', String(msgnum)])).stdout).toContain(`restored message ${msgnum} into 1 room(s)`);
    expect((await keep.cli(['backup', join(scratch, 'snap')])).code).toBe(0);
    expect((await keep.cli(['export', '--out', join(scratch, 'x.jsonl')])).code).toBe(0);

    const cli = (await trail()).filter((e) => e.origin.startsWith('cli:'));
    const actions = cli.map((e) => `${e.action} ${e.target ?? ''}`.trim());
    expect(actions).toEqual(expect.arrayContaining([
      'user.create Yan', 'user.level Yan', 'user.password Yan', 'room.restore Shelf',
      `message.restore ${msgnum}`, `store.backup ${join(scratch, 'snap')}`, 'store.export',
    ]));

    // the restored message is back where it was, readable over the wire
    const admin = await NativeClient.connect(keep.ports.native);
    await admin.login('admin', keep.adminPassword);
    expect((await admin.cmd('GOTO Shelf')).code).toBe(200);
    expect((await admin.cmd('MSGS ALL')).lines.map(Number)).toContain(msgnum);
    admin.close();
  });

  it('cannot be changed through any protocol: no command deletes or edits audit entries', async () => {
    const admin = await NativeClient.connect(keep.ports.native);
    await admin.login('admin', keep.adminPassword);
    const before = await trail();
    // no verb edits the trail: an unknown one, a delete aimed at no message, an import over the wire
    expect((await admin.cmd('AUDT')).code).toBe(530);
    expect(Math.floor((await admin.cmd('DELE -1')).code / 100)).toBe(5);
    expect((await admin.cmd('MIGR import')).code).toBe(512);
    admin.close();
    // every earlier entry is still there, unchanged and in order
    expect((await trail()).slice(0, before.length)).toEqual(before);
  });
});
