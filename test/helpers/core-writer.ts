// A child process that posts through core with N concurrent writers and prints "ack <msgnum>"
// for every post whose promise resolved (durable). The durability test kills it with SIGKILL.
import { pino } from 'pino';
import { Store } from '../../src/store/index.ts';
import { createCore, systemActor, BASE_ROOM } from '../../src/core/index.ts';

const [dataDir, writersArg, bodySizeArg] = process.argv.slice(2);
const writers = Number(writersArg ?? 20);
const body = 'x'.repeat(Number(bodySizeArg ?? 512));
const store = Store.open({ dataDir: dataDir! });
const core = createCore({
  store, log: pino({ level: 'silent' }),
  settings: { domain: 'keep.test', localDomains: [], nodeName: 'keep', humanNode: 'Keep', maxMessageSize: 10_000_000, newUserLevel: 3, softDeleteMs: 1000 },
});
const actor = systemActor('writer');
const lobby = core.rooms.findByName(actor, BASE_ROOM)!;
process.stdout.write('ready\n');
const deadline = Date.now() + 120_000; // bounded even if nobody kills us (the test kills it after a count of acks)
await Promise.all(Array.from({ length: writers }, async (_, w) => {
  for (let i = 0; Date.now() < deadline; i++) {
    const m = await core.messages.post(actor, { roomnum: lobby.roomnum, subject: `w${w} #${i}`, text: `${body}\nwriter ${w} post ${i}` });
    process.stdout.write(`ack ${m.msgnum} w${w} #${i}\n`);
  }
}));
await store.close();
