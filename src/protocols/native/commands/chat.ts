// Room chat (protocol/chat.md): RCHT enter|poll|send|exit|rwho. Lines are said through
// core.chat, stored as messages in the room, so web chatters share the conversation.
import { ERR } from '../codes.ts';
import { field, intField } from '../parser.ts';
import { fail, listing, ok, receive } from '../reply.ts';
import { fieldValue, oneLine } from '../render.ts';
import type { CommandTable, InRoom } from './types.ts';

function inChat({ s, roomnum }: InRoom): { roomnum: number; start: number } {
  if (!s.chat || s.chat.roomnum !== roomnum) fail(ERR.NOT_HERE, 'Not in chat mode; send RCHT enter first.');
  return s.chat;
}

export const chatCommands: CommandTable = {
  RCHT: {
    needs: 'room',
    summary: 'Room chat: enter, poll|seq, send (4xx, lines), exit, rwho (§RCHT)',
    async run(r, c) {
      const { s, actor, roomnum } = r;
      const sub = field(c.args, 0).trim().toLowerCase();
      switch (sub) {
        case 'enter': {
          if (!s.core.rooms.access(actor, roomnum).canPost) fail(ERR.HIGHER_ACCESS_REQUIRED, 'You may not chat in this room.');
          s.chat = { roomnum, start: s.core.chat.position(roomnum) };
          s.presence.update({ chatRoom: roomnum });
          return ok('Entering chat mode.');
        }
        case 'poll': {
          const chat = inChat(r);
          const after = Math.max(intField(c.args, 1) ?? 0, chat.start);
          const [line] = s.core.chat.since(actor, roomnum, after, 1);
          if (!line) fail(ERR.NO_SUCH_USER, 'no messages');
          return listing(`${line.seq}|${Math.floor(line.time / 1000)}|${fieldValue(line.from)}`, [oneLine(line.text)]);
        }
        case 'send': {
          inChat(r);
          return receive('send now', async (lines) => {
            for (const l of lines) if (l.trim() !== '') await s.core.chat.say(actor, roomnum, l);
          });
        }
        case 'exit': {
          s.chat = undefined;
          s.presence.update({ chatRoom: undefined });
          return ok('Exiting chat mode.');
        }
        case 'rwho': {
          return listing('Chatters:', s.core.presence.chatters(roomnum).map(fieldValue), { mayStar: true });
        }
        default:
          return fail(ERR.ILLEGAL_VALUE, 'Usage: RCHT enter | poll|seq | send | exit | rwho');
      }
    },
  },
};
