// OVER and XOVER (RFC 3977 §8.3; XOVER from RFC 2980): overview lines from stored metadata.
import { CODE } from '../codes.ts';
import { overviewLine } from '../render.ts';
import type { Session } from '../session.ts';
import { mapLazily, resolveMany } from './lookup.ts';
import type { CommandResult, CommandSpec } from './types.ts';

function over(s: Session, arg: string | undefined): CommandResult {
  const { found, isById } = resolveMany(s, arg);
  // RFC 3977 §8.3.2: by message-id the number field is 0 unless the article is in the selected group
  const data = mapLazily(found, (f) => overviewLine(f.message, { ...f.context, shownNumber: isById ? f.number : f.message.msgnum }));
  return { code: CODE.OVERVIEW_FOLLOWS, text: 'Overview information follows', data };
}

const spec: CommandSpec = { needs: 'reader', summary: '[range|<message-id>]  overview of articles', run: (s, c) => over(s, c.args[0]) };

export const overCommands = { OVER: spec, XOVER: { ...spec, summary: '[range]  overview of articles (old name of OVER)' } };
