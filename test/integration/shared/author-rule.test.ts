// The author of a message is the account that handed it in, on every protocol (issue 17): a From
// that is not one of carol's addresses is refused (NNTP 441, IMAP NO, submission 550 5.7.1) and
// logged with the account and the address; a display name is never the identity; an aide's
// masquerade keeps its name beside a Sender naming the account; mail from outside keeps its From,
// shown as an Internet sender. What bob sees is checked in native MSG0, IMAP ENVELOPE and NNTP HDR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { connect } from '../nntp/fixture.ts';
import { Raw } from '../imap/fixture.ts';
import { message, startMailKeep, type MailKeep } from '../smtp/fixture.ts';
import { addressText, envelopeIn } from './imap-envelope.ts';

const GROUP = 'keep.main-floor.kitchen';
const FORGED = 'admin <admin@keep.test>';
type SmtpErr = { responseCode?: number; response?: string };

let k: MailKeep;

beforeAll(async () => {
  k = await startMailKeep();
}, 120_000);
afterAll(async () => {
  await k?.stop();
});

/** Kitchen's IMAP UID of message n: the number of its placement there. */
function kitchenUid(n: number): number {
  k.refresh();
  const system = { kind: 'system', name: 'test', origin: 'test' } as const;
  return k.core.messages.placement(system, k.core.rooms.findByName(system, 'Kitchen')!.roomnum, n)!.uid;
}

/** How bob sees message n of Kitchen: native MSG0 from=, IMAP ENVELOPE From and Sender, NNTP HDR From. */
async function asBobSees(n: number) {
  const native = await NativeClient.connect(k.keep.ports.native);
  const imap = await Raw.open(k.keep.ports.imap);
  const news = await connect(k.keep, 'bob');
  try {
    await native.login('bob', 'bob-pw');
    await native.cmd('GOTO Kitchen|');
    const msg0 = (await native.cmd(`MSG0 ${n}|1`)).lines;
    await imap.cmd('a', 'LOGIN bob bob-pw');
    await imap.cmd('b', 'EXAMINE Public/Kitchen');
    // an IMAP UID is the message's number in the room (its placement), not its message number
    const env = envelopeIn(await imap.cmd('c', `UID FETCH ${kitchenUid(n)} ENVELOPE`));
    await news.cmd(`GROUP ${GROUP}`);
    return {
      native: msg0.find((l) => l.startsWith('from='))!.slice(5),
      rfca: msg0.find((l) => l.startsWith('rfca='))?.slice(5),
      imapFrom: addressText((env[2] as string[][])[0]!),
      imapSender: addressText((env[3] as string[][])[0]!),
      nntpFrom: (await news.cmd(`HDR From ${n}`)).lines[0]!.replace(/^\d+ /, ''),
    };
  } finally {
    native.close();
    imap.close();
    news.close();
  }
}

const refusalLogged = (address: string) => k.keep.waitForLog((l) => l.msg === 'refused a From that is not the account\'s' && l.user === 'carol' && l.address === address, 10_000);

describe('the author rule', () => {
  it('refuses an NNTP POST from carol with a From of admin with 441, logs it, and stores nothing', async () => {
    const before = k.room('Kitchen').length;
    const c = await connect(k.keep, 'carol');
    try {
      const r = await c.post([`From: ${FORGED}`, `Newsgroups: ${GROUP}`, 'Subject: forged', '', 'x']);
      expect(r.code).toBe(441);
    } finally {
      c.close();
    }
    await refusalLogged('admin@keep.test');
    expect(k.room('Kitchen').length).toBe(before);
  });

  it('refuses an IMAP APPEND into a room others read with NO, allows it into carol\'s own Drafts, and refuses copying it out', async () => {
    const r = await Raw.open(k.keep.ports.imap);
    try {
      await r.cmd('a', 'LOGIN carol carol-pw');
      const msg = message({ from: FORGED, to: 'bob@keep.test', subject: 'forged append' });
      r.sock.write(`b APPEND Public/Kitchen {${msg.length}+}\r\n${msg}\r\n`);
      expect(await r.until((b) => /^b (OK|NO|BAD)/m.test(b))).toMatch(/^b NO \[NOPERM\]/m);
      r.buf = '';
      r.sock.write(`c APPEND Drafts {${msg.length}+}\r\n${msg}\r\n`);
      const appended = await r.until((b) => /^c (OK|NO|BAD)/m.test(b));
      expect(appended).toMatch(/^c OK/m);
      r.buf = '';
      await r.cmd('d', 'SELECT Drafts');
      expect(await r.cmd('e', `UID COPY ${/APPENDUID \d+ (\d+)/.exec(appended)![1]} Public/Kitchen`)).toMatch(/^e NO \[NOPERM\]/m);
    } finally {
      r.close();
    }
    await refusalLogged('admin@keep.test');
  });

  it('refuses submission with a header From that is not the sender\'s with 550 5.7.1', async () => {
    const t = k.submission('carol', 'carol-pw');
    const err = await t.sendMail({ envelope: { from: 'carol@keep.test', to: ['bob@keep.test'] }, raw: message({ from: FORGED, to: 'bob@keep.test', subject: 'forged mail' }) }).catch((e: unknown) => e) as SmtpErr;
    expect(err.responseCode).toBe(550);
    expect(err.response).toMatch(/^550 5\.7\.1 /);
    await refusalLogged('admin@keep.test');
    expect(k.mailbox('bob').length).toBe(0);
  });

  it('shows carol as the author of her post whose From names "The Sysop"', async () => {
    const c = await connect(k.keep, 'carol');
    let id: string;
    try {
      const r = await c.post(['From: The Sysop <carol@keep.test>', `Newsgroups: ${GROUP}`, 'Subject: display name', '', 'x']);
      expect(r.code).toBe(240);
      id = /<[^>]+>/.exec(r.text)![0];
    } finally {
      c.close();
    }
    const n = k.core.messages.findByMessageId({ kind: 'system', name: 'test', origin: 'test' }, id)!.msgnum;
    expect(await asBobSees(n)).toEqual({ native: 'carol', rfca: undefined, imapFrom: 'carol <carol@keep.test>', imapSender: 'carol <carol@keep.test>', nntpFrom: 'carol <carol@keep.test>' });
  });

  it('keeps an aide\'s masquerade name with a Sender naming the aide, and shows the aide as author', async () => {
    const admin = await NativeClient.connect(k.keep.ports.native);
    try {
      await admin.login('admin', 'admin-secret');
      await admin.cmd('GOTO Kitchen|');
      expect((await admin.cmd('ENT0 1||0|1|masked|The Sysop|')).code).toBe(400);
      admin.sendListing(['from the sysop']);
      const n = Number((await admin.cmd('MSGS LAST|1')).lines[0]);
      const seen = await asBobSees(n);
      expect(seen.native).toBe('admin');
      expect(seen.imapFrom).toMatch(/^The Sysop <admin@keep\.test>$/);
      expect(seen.imapSender).toMatch(/^admin <admin@keep\.test>$/);
      expect(seen.nntpFrom).toBe('The Sysop <admin@keep.test>');
    } finally {
      admin.close();
    }
  });

  it('keeps a foreign From of a native MIME post (no reply can refuse it) beside a Sender naming carol', async () => {
    const carol = await NativeClient.connect(k.keep.ports.native);
    try {
      await carol.login('carol', 'carol-pw');
      await carol.cmd('GOTO Kitchen|');
      expect((await carol.cmd('ENT0 1||0|4|||||||||')).code).toBe(400);
      carol.sendListing([`From: ${FORGED}`, 'Subject: mime as admin', '', 'x']);
      const n = await k.until(() => k.room('Kitchen').find((m) => k.raw(m).includes('Subject: mime as admin')));
      const seen = await asBobSees(n);
      expect(seen.native).toBe('carol');
      expect(seen.imapSender).toBe('carol <carol@keep.test>');
      expect(seen.imapFrom).toBe(FORGED);
      expect(seen.nntpFrom).toBe(FORGED);
    } finally {
      carol.close();
    }
  });

  it('keeps the From of mail from outside, shown as an Internet sender', async () => {
    // (a From in Keep's own domain from outside is refused unless Keep signed it: mail-auth tests)
    await k.mx().sendMail({ envelope: { from: 'someone@remote.example', to: ['kitchen@keep.test'] }, raw: message({ from: 'Admin <admin@remote.example>', to: 'kitchen@keep.test', subject: 'from outside' }) });
    const n = await k.until(() => k.room('Kitchen').find((m) => k.raw(m).includes('Subject: from outside')));
    const seen = await asBobSees(n);
    expect(seen.rfca).toBe('admin@remote.example');
    expect(seen.imapFrom).toBe('Admin <admin@remote.example>');
    expect(seen.nntpFrom).toBe('Admin <admin@remote.example>');
  });
});
