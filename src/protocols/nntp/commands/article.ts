// ARTICLE, HEAD, BODY, STAT (RFC 3977 §6.2): one article by current pointer, number or message-id.
import { CODE } from '../codes.ts';
import { article, articleBody, articleHead } from '../render.ts';
import type { Session } from '../session.ts';
import { resolveArticle, type Found } from './lookup.ts';
import type { CommandTable, CommandResult } from './types.ts';

const status = (f: Found) => `${f.number} ${f.message.messageId}`;

function fetchArticle(s: Session, arg: string | undefined, part: 'article' | 'head' | 'body'): CommandResult {
  const f = resolveArticle(s, arg);
  const raw = s.core.messages.raw(s.readerOf().actor, f.message.msgnum, f.roomnum);
  if (part !== 'head') s.markSeen(f.roomnum, f.message.msgnum);
  if (part === 'head') return { code: CODE.HEAD_FOLLOWS, text: status(f), data: articleHead(f.message, raw, f.context) };
  if (part === 'body') return { code: CODE.BODY_FOLLOWS, text: status(f), data: articleBody(f.message, raw) };
  return { code: CODE.ARTICLE_FOLLOWS, text: status(f), data: article(f.message, raw, f.context) };
}

export const articleCommands: CommandTable = {
  ARTICLE: { needs: 'reader', summary: '[number|<message-id>]  the whole article', run: (s, c) => fetchArticle(s, c.args[0], 'article') },
  HEAD: { needs: 'reader', summary: '[number|<message-id>]  the article\'s headers', run: (s, c) => fetchArticle(s, c.args[0], 'head') },
  BODY: { needs: 'reader', summary: '[number|<message-id>]  the article\'s body', run: (s, c) => fetchArticle(s, c.args[0], 'body') },
  STAT: {
    needs: 'reader',
    summary: '[number|<message-id>]  whether an article exists (sets the current article)',
    run: (s, c) => ({ code: CODE.ARTICLE_EXISTS, text: status(resolveArticle(s, c.args[0])) }),
  },
};
