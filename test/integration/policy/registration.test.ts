// Self-registration with KEEP_REGISTRATION=validate: a NEWU account is a new user (level 1) who
// reads and posts in public rooms but sends no Internet mail and pages no strangers until an aide
// validates it; NEWU is limited per address per hour; a validated account mails out (to a local
// sink standing in for the Internet via KEEP_SMTP_ROUTES) within KEEP_SEND_PER_HOUR recipients.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';
import { startSink, type Sink } from '../smtp/sink.ts';

interface Entry { actor: string; action: string; target?: string; origin: string; details?: Record<string, unknown> }

let keep: Keep;
let sink: Sink;
const clients: NativeClient[] = [];
beforeAll(async () => {
  sink = await startSink();
  keep = await startKeep({
    env: {
      KEEP_REGISTRATION: 'validate', KEEP_REGISTRATION_PER_HOUR: '3', KEEP_SEND_PER_HOUR: '3',
      KEEP_SMTP_ROUTES: `remote.test=127.0.0.1:${sink.port}`, KEEP_QUEUE_INTERVAL: '200',
    },
  });
  const admin = await connect();
  expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
  expect((await admin.cmd('CREU Bob|bob-pw')).code).toBe(200);
}, 300_000);
afterAll(async () => {
  for (const c of clients) c.close();
  await keep?.stop();
  await sink?.close();
});

const connect = async () => {
  const c = await NativeClient.connect(keep.ports.native);
  clients.push(c);
  return c;
};
const trail = async (): Promise<Entry[]> => JSON.parse((await keep.cli(['audit', '--json'])).stdout) as Entry[];

/** ENT0 with a text: the 4xx and, as no reply follows the text, a NOOP to know it was taken. */
async function enter(c: NativeClient, args: string, lines: string[]): Promise<number> {
  const r = await c.cmd(`ENT0 ${args}`);
  if (r.code !== 400) return r.code;
  c.sendListing(lines);
  expect((await c.cmd('NOOP')).code).toBe(200);
  return r.code;
}

describe('self-registration with KEEP_REGISTRATION=validate', () => {
  let spammer: NativeClient;

  it('makes a new (level 1) account that posts in the Lobby but sends no Internet mail and pages only aides', async () => {
    spammer = await connect();
    const made = await spammer.cmd('NEWU Spammer One');
    expect(made.code).toBe(200);
    expect(made.text.split('|')[1]).toBe('1');
    expect((await spammer.cmd('SETP spam-pw-1')).code).toBe(200);

    const refused = await spammer.cmd('ENT0 1|friend@remote.test||1|buy now');
    expect(refused.raw).toBe('550 Your account must be validated before it can send mail to Internet addresses.');
    expect(await enter(spammer, '1||0|1|hello all', ['I am new here.'])).toBe(400);

    const bob = await connect();
    expect((await bob.login('Bob', 'bob-pw')).code).toBe(200);
    expect((await bob.cmd('GOTO Lobby')).code).toBe(200);
    const last = Number((await bob.cmd('MSGS LAST|1')).lines[0]);
    expect((await bob.cmd(`MSG0 ${last}|0`)).lines).toContain('from=Spammer One');
    expect((await spammer.cmd('SEXP Bob|hi stranger')).raw).toBe('550 Your account must be validated before it can page other users.');
    const admin = await connect();
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    expect((await spammer.cmd('SEXP admin|please validate me')).code).toBe(200);
    expect((await admin.cmd('GNUR')).raw).toBe('300 Spammer One');

    const log = await keep.waitForLog((l) => l.msg === 'refused: Internet mail needs a higher access level');
    expect(log).toMatchObject({ user: 'Spammer One', origin: 'native:127.0.0.1' });
    expect(sink.received).toEqual([]);
  }, 120_000);

  it('takes a second and third registration from one address and refuses the fourth (audited)', async () => {
    expect((await (await connect()).cmd('NEWU Spammer Two')).code).toBe(200);
    expect((await (await connect()).cmd('NEWU Spammer Three')).code).toBe(200);
    const fourth = await (await connect()).cmd('NEWU Spammer Four');
    expect(fourth.raw).toBe('511 Too many new accounts from your address; try again later.');
    // a taken name is refused for what it is, and the limit still holds
    expect((await (await connect()).cmd('NEWU Spammer Five')).code).toBe(511);
    const admin = await connect();
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    expect((await admin.cmd('AGUP Spammer Four')).code).toBe(570);
  }, 120_000);

  it('lets the account mail out once an aide validates it, within the hourly recipient limit', async () => {
    const admin = await connect();
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    expect((await admin.cmd('VALI Spammer One|4')).raw).toBe('200 Spammer One is now level 4.');
    // the session that was refused before may send now: the level is read afresh
    expect(await enter(spammer, '1|pen.pal@remote.test||1|validated now', ['Hello from Keep.'])).toBe(400);
    const got = await waitFor(() => sink.received.find((m) => m.to.includes('pen.pal@remote.test')));
    expect(got.raw).toContain('Subject: validated now');
    // three recipients an hour: one is used, three more are too many
    const over = await spammer.cmd('ENT0 1|a@remote.test,b@remote.test,c@remote.test||1|too many');
    expect(over.raw).toBe('511 You have sent mail to 3 Internet recipients in the last hour; try again later.');
    expect(await enter(spammer, '1|a@remote.test,b@remote.test||1|two more', ['fits'])).toBe(400);
    expect((await spammer.cmd('ENT0 1|d@remote.test||1|one too many')).code).toBe(511);
  }, 120_000);

  it('never lets a problem user (level 2) relay; keepd user set-level sets levels too', async () => {
    expect((await keep.cli(['user', 'set-level', 'Spammer Two', '2'])).stdout).toContain('Spammer Two is now level 2');
    const admin = await connect();
    expect((await admin.login('admin', keep.adminPassword)).code).toBe(200);
    // Spammer Two never set a password; an aide sets one for the test (ASUP keeps the level)
    expect((await admin.cmd('ASUP Spammer Two|two-pw|0|0|0|2|')).code).toBe(200);
    const two = await connect();
    expect((await two.login('Spammer Two', 'two-pw')).code).toBe(200);
    expect((await two.cmd('ENT0 1|x@remote.test||1|relay?')).raw).toBe('550 Higher access required to send mail to Internet addresses.');
    // submission refuses the remote recipient at RCPT, before any data is sent
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: keep.ports.submission, secure: false, auth: { user: 'Spammer Two', pass: 'two-pw' }, tls: { rejectUnauthorized: false } });
    const sent = await t.sendMail({ envelope: { from: 'spammer.two@keep.test', to: ['x@remote.test'] }, raw: 'From: spammer.two@keep.test\r\nTo: x@remote.test\r\nSubject: relay?\r\n\r\nbuy\r\n' }).then(() => 'sent', (e: { responseCode?: number; command?: string }) => `${e.responseCode} ${e.command}`);
    t.close();
    expect(sent).toBe('550 RCPT TO');
    expect(sink.received.some((m) => m.to.includes('x@remote.test'))).toBe(false);
  }, 120_000);

  it('writes the policy events to the audit trail: the registration limit, the send limit, the level changes', async () => {
    const entries = await trail();
    const regs = entries.filter((e) => e.action === 'registration.throttled');
    expect(regs).toHaveLength(1);
    expect(regs[0]).toMatchObject({ target: '127.0.0.1', origin: 'native:127.0.0.1' });
    const sends = entries.filter((e) => e.action === 'send.throttled');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ target: 'Spammer One', origin: 'native:127.0.0.1' });
    const levels = entries.filter((e) => e.action === 'user.level');
    expect(levels.find((e) => e.target === 'Spammer One')).toMatchObject({ actor: 'admin', details: { from: 1, to: 4 } });
    expect(levels.find((e) => e.target === 'Spammer Two')).toMatchObject({ details: { from: 1, to: 2 } });
  }, 120_000);
});

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
