// Instant messages and presence (protocol/express.md): SEXP, GEXP, DEXP, RWHO.
// Pages go through core.pages, so any translator can deliver them.
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, ok, receive } from '../reply.ts';
import { rwhoLine, textLines, fieldValue } from '../render.ts';
import type { Session } from '../session.ts';
import { isAide, isCoreError } from '../../../core/index.ts';
import type { CommandTable } from './types.ts';

const PAGE_FLAG_BROADCAST = 1;

/** The chat room's name as the viewer may see it: a room they cannot read is not named. */
const chatRoomName = (s: Session, roomnum: number | undefined): string | undefined => {
  const viewer = 'actor' in s.phase ? s.phase.actor : undefined;
  if (roomnum === undefined || !viewer) return undefined;
  try {
    return s.core.rooms.get(viewer, roomnum).name;
  } catch (err) {
    if (isCoreError(err) && err.kind === 'not-found') return undefined; // gone, or not the viewer's to see
    throw err;
  }
};

export const expressCommands: CommandTable = {
  SEXP: {
    needs: 'room',
    summary: 'Send an instant message: user|text, user|| (check), user|- (4xx, lines) (§SEXP)',
    errors: { 'not-found': ERR.NO_SUCH_USER, unavailable: ERR.RESOURCE_NOT_OPEN, forbidden: ERR.HIGHER_ACCESS_REQUIRED },
    run({ s, actor }, c) {
      const bar = c.rest.indexOf('|');
      let to = (bar < 0 ? c.rest : c.rest.slice(0, bar)).trim();
      const text = bar < 0 ? '' : c.rest.slice(bar + 1).replace(/\|$/, '');
      if (!to) {
        if (!s.lastPager) fail(ERR.NO_SUCH_USER, 'You were not previously paged.');
        to = s.lastPager;
      }
      const target = s.core.pages.check(actor, to);
      if (text === '') return ok('Ok to send message.');
      if (text === '-') {
        const count = target === -1 ? new Set(s.core.presence.list().map((x) => x.usernum)).size : 1;
        return receive(`Transmit message (will deliver to ${count} users)`, async (lines) => {
          s.core.pages.send(actor, to, lines.join('\n'));
        });
      }
      s.core.pages.send(actor, to, text);
      return ok('Message sent.');
    },
  },
  GEXP: {
    needs: 'room',
    isKeepalive: true,
    summary: 'Fetch one waiting instant message: more|epoch|flags|sender|node|email (§GEXP)',
    run({ s, actor }) {
      const got = s.core.pages.take(actor.usernum);
      if (!got) fail(ERR.NO_SUCH_USER, 'No instant messages waiting.');
      const { page, more } = got;
      s.lastPager = page.isBroadcast ? s.lastPager : page.from;
      const email = page.fromUser !== undefined ? (s.core.users.find(page.from)?.addresses[0] ?? '') : '';
      const head = [more > 0 ? 1 : 0, Math.floor(page.time / 1000), page.isBroadcast ? PAGE_FLAG_BROADCAST : 0, fieldValue(page.from), s.config.nodeName, fieldValue(email)].join('|');
      return listing(head, textLines(page.text));
    },
  },
  DEXP: {
    needs: 'room',
    summary: 'Accept instant messages: 1 yes, 0 no, none to ask (§DEXP)',
    run({ s, actor }, c) {
      const v = intField(c.args, 0);
      if (v === 0 || v === 1) s.core.presence.setAcceptsPages(actor.usernum, v === 1);
      else if (field(c.args, 0).trim() !== '' && v !== -1) fail(ERR.ILLEGAL_VALUE, 'Usage: DEXP 0|1');
      return ok(s.core.presence.acceptsPages(actor.usernum) ? '1' : '0');
    },
  },
  RWHO: {
    needs: 'none',
    isKeepalive: true,
    summary: 'Who is online, one session a line (§RWHO)',
    run(s) {
      const seesStealth = s.phase.name === 'in-room' && isAide(s.phase.actor);
      const lines = s.core.presence.list().filter((p) => seesStealth || !p.isStealth).map((p) => rwhoLine(p, chatRoomName(s, p.chatRoom)));
      return listing('', lines, { mayStar: true });
    },
  },
  STEL: {
    needs: 'room',
    summary: 'Stealth mode for aides: 1 hide from RWHO, 0 show, none to ask (§STEL)',
    run({ s, actor }, c) {
      const v = intField(c.args, 0);
      if (v === 0 || v === 1) {
        if (!isAide(actor)) fail(ERR.HIGHER_ACCESS_REQUIRED, 'Higher access required.');
        s.presence.update({ isStealth: v === 1 });
      } else if (field(c.args, 0).trim() !== '' && v !== -1) fail(ERR.ILLEGAL_VALUE, 'Usage: STEL 0|1');
      const me = s.core.presence.list().find((p) => p.sid === s.presence.sid);
      return ok(me?.isStealth ? '1' : '0');
    },
  },
};
