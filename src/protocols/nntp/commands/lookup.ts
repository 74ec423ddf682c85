// Finding articles for ARTICLE/HEAD/BODY/STAT, OVER and HDR (RFC 3977 §6.2, §8): by the current
// article, by number in the selected group, by message-id, or by range.
import { isCoreError, type Message } from '../../../core/index.ts';
import { CODE } from '../codes.ts';
import { NntpError } from '../errors.ts';
import { isMessageId, parseArticleNumber, parseRange } from '../parser.ts';
import type { ArticleContext } from '../render.ts';
import type { Session } from '../session.ts';

export interface Found {
  message: Message;
  /** the article number in the selected group; 0 when found by message-id outside it */
  number: number;
  /** the room the reader reached it through */
  roomnum: number;
  context: ArticleContext;
}

/** Groups this reader sees that hold the message (Newsgroups and Xref). */
export function groupsHolding(s: Session, msgnum: number): { name: string; roomnum: number }[] {
  return s.groups().filter((g) => s.core.messages.placement(s.readerOf().actor, g.room.roomnum, msgnum) !== undefined).map((g) => ({ name: g.name, roomnum: g.room.roomnum }));
}

function contextOf(s: Session, msgnum: number): ArticleContext {
  return { groups: groupsHolding(s, msgnum).map((g) => g.name), number: msgnum, host: s.config.domain };
}

/** A message by number in the selected group; 423 when the group does not hold it. */
export function byNumber(s: Session, n: number): Found {
  const sel = s.requireSelected();
  const roomnum = sel.group.room.roomnum;
  try {
    const message = s.core.messages.get(s.readerOf().actor, n, roomnum);
    return { message, number: n, roomnum, context: contextOf(s, n) };
  } catch (err) {
    if (isCoreError(err) && err.kind === 'not-found') throw new NntpError(CODE.NO_ARTICLE_WITH_NUMBER, 'No article with that number');
    throw err;
  }
}

/** A message by message-id, if it is in a group this reader sees; 430 otherwise. */
export function byMessageId(s: Session, id: string): Found {
  const message = s.core.messages.findByMessageId(s.readerOf().actor, id);
  const holding = message ? groupsHolding(s, message.msgnum) : [];
  const first = holding[0];
  if (!message || !first) throw new NntpError(CODE.NO_ARTICLE_WITH_ID, 'No article with that message-id');
  const inSelected = s.selected ? holding.find((g) => g.roomnum === s.selected!.group.room.roomnum) : undefined;
  return {
    message, number: inSelected ? message.msgnum : 0, roomnum: (inSelected ?? first).roomnum,
    context: { groups: holding.map((g) => g.name), number: message.msgnum, host: s.config.domain },
  };
}

/** The current article (412 without a group, 420 without a current article). */
export function current(s: Session): Found {
  const sel = s.requireSelected();
  if (sel.pointer === undefined) throw new NntpError(CODE.NO_CURRENT_ARTICLE, 'Current article number is invalid');
  try {
    return byNumber(s, sel.pointer);
  } catch (err) {
    if (err instanceof NntpError && err.code === CODE.NO_ARTICLE_WITH_NUMBER) throw new NntpError(CODE.NO_CURRENT_ARTICLE, 'Current article number is invalid');
    throw err;
  }
}

/** ARTICLE/HEAD/BODY/STAT argument: none, a number (moves the pointer), or a message-id. */
export function resolveArticle(s: Session, arg: string | undefined): Found {
  if (arg === undefined) return current(s);
  if (arg.startsWith('<')) {
    if (!isMessageId(arg)) throw new NntpError(CODE.SYNTAX_ERROR, 'Malformed message-id');
    return byMessageId(s, arg);
  }
  const found = byNumber(s, parseArticleNumber(arg));
  s.selected!.pointer = found.number;
  return found;
}

/**
 * The selected group's article numbers in a range (LISTGROUP), read as iterated. More than
 * nntpMaxRange articles is refused, so one command cannot make the server render an unbounded
 * answer.
 */
export function numbersInRange(s: Session, arg: string): Iterable<number> {
  const sel = s.requireSelected();
  const { from, to } = parseRange(arg);
  const max = s.config.nntpMaxRange;
  const { nums, isTruncated } = sel.group.numbersInRange(from, to, max);
  if (isTruncated) throw new NntpError(CODE.SYNTAX_ERROR, `Range too large: more than ${max} articles; ask for a smaller range`);
  return nums;
}

/**
 * OVER/HDR targets: the current article, a message-id, or every article of a range (423 if none).
 * A range is read as the caller iterates, so its lines are rendered in slices (issue 16).
 */
export function resolveMany(s: Session, arg: string | undefined): { found: Iterable<Found>; isById: boolean } {
  if (arg === undefined) return { found: [current(s)], isById: false };
  if (arg.startsWith('<')) {
    if (!isMessageId(arg)) throw new NntpError(CODE.SYNTAX_ERROR, 'Malformed message-id');
    return { found: [byMessageId(s, arg)], isById: true };
  }
  const sel = s.requireSelected();
  const { from, to } = parseRange(arg);
  const max = s.config.nntpMaxRange;
  const { messages, count, isTruncated } = sel.group.inRange(from, to, max);
  if (isTruncated) throw new NntpError(CODE.SYNTAX_ERROR, `Range too large: more than ${max} articles; ask for a smaller range`);
  if (count === 0) throw new NntpError(CODE.NO_ARTICLE_WITH_NUMBER, 'No articles in that range');
  const roomnum = sel.group.room.roomnum;
  return { found: mapLazily(messages, (message) => ({ message, number: message.msgnum, roomnum, context: contextOf(s, message.msgnum) })), isById: false };
}

/** Each item of `items` through `f`, as the caller iterates. */
export function* mapLazily<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
