// HDR and XHDR (RFC 3977 §8.5; XHDR from RFC 2980): one header field (or :bytes, :lines) per article.
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import { fieldValue, oneLine } from '../render.ts';
import type { Session } from '../session.ts';
import { mapLazily, resolveMany } from './lookup.ts';
import type { CommandResult, CommandTable } from './types.ts';

function hdr(s: Session, args: string[], isOld: boolean): CommandResult {
  const [field, arg] = args;
  if (!field || args.length > 2 || !/^:?[\x21-\x39\x3b-\x7e]+$/.test(field)) throw new NntpError(CODE.SYNTAX_ERROR, 'Usage: HDR field [range|<message-id>]');
  const { found, isById } = resolveMany(s, arg);
  const data = mapLazily(found, (f) => {
    const value = oneLine(fieldValue(f.message, field, f.context) ?? '');
    // XHDR by message-id names the article by its id (RFC 2980 §2.6); HDR uses 0 (RFC 3977 §8.5.2)
    const key = isById ? (isOld ? f.message.messageId : String(f.number)) : String(f.message.msgnum);
    return isOld && value === '' ? `${key} (none)` : `${key} ${value}`;
  });
  return isOld ? { code: CODE.HEAD_FOLLOWS, text: `${field} fields follow`, data } : { code: CODE.HDR_FOLLOWS, text: 'Headers follow', data };
}

export const hdrCommands: CommandTable = {
  HDR: { needs: 'reader', summary: 'field [range|<message-id>]  one header field of articles', run: (s, c) => hdr(s, c.args, false) },
  XHDR: { needs: 'reader', summary: 'field [range|<message-id>]  one header field (old form)', run: (s, c) => hdr(s, c.args, true) },
};
