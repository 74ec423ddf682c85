// A logged-in conversation with a Keep server over the native (Citadel) protocol: the
// connect/login flow of CITADEL-PROTOCOL-NOTES §4 and one typed method per command we use.
// Every 5xx becomes a ClientError('refused') carrying the server's own words.
import { ClientError } from '../errors.ts';
import { Connection, type ConnectOptions } from '../wire/connection.ts';
import {
  parseChatLine, parseGoto, parseInstantMessage, parseLogin, parseMessage, parseMsgnums, parseRoomLine, parseWhoLine,
  type ChatLine, type InstantMessage, type LoginInfo, type MessageView, type RoomEntry, type RoomState, type WhoEntry,
} from '../wire/parse.ts';
import { cleanArg, listingLines, replyClass, type Reply } from '../wire/reply.ts';

export interface ServerInfo { nodeName: string; humanNode: string; software: string; pagingLevel: number }
export type MessageSelection = { which: 'new' } | { which: 'all' } | { which: 'old' } | { which: 'last'; count: number };
export interface Draft { recipient?: string; subject?: string; text: string }

const CLIENT_SOFTWARE = 'keep-cli';
/** RCHT poll's "no messages" (570); any other error is real, e.g. 560 not in chat (§3.27) */
const NOTHING_NEW = 570;

export class KeepSession {
  private constructor(readonly conn: Connection, readonly server: ServerInfo, readonly me: LoginInfo) {}

  /** Connect, identify ourselves, and log in (§3.2–§3.8). */
  static async open(opts: ConnectOptions & { user: string; password: string }): Promise<KeepSession> {
    const conn = await Connection.open(opts);
    try {
      const server = await handshake(conn);
      const me = await login(conn, opts.user, opts.password);
      return new KeepSession(conn, server, me);
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  async goto(room: string, password = ''): Promise<RoomState> {
    return parseGoto(ok(await this.conn.command(`GOTO ${cleanArg(room)}|${cleanArg(password)}`)).text);
  }

  /** LKRA (all known rooms) or LKRN (known rooms with new messages), §3.17. */
  async knownRooms(onlyWithNew = false): Promise<RoomEntry[]> {
    const reply = ok(await this.conn.command(onlyWithNew ? 'LKRN -1' : 'LKRA -1'));
    return reply.lines.map(parseRoomLine).filter((r): r is RoomEntry => r !== undefined);
  }

  async messageNumbers(sel: MessageSelection): Promise<number[]> {
    const arg = sel.which === 'last' ? `LAST|${sel.count}|0` : `${sel.which.toUpperCase()}||0`;
    return parseMsgnums(ok(await this.conn.command(`MSGS ${arg}`)).lines);
  }

  async message(msgnum: number): Promise<MessageView> {
    return parseMessage(msgnum, ok(await this.conn.command(`MSG4 ${msgnum}|0`)).lines);
  }

  /** Move the last-read pointer (how the Citadel client records reading, §3.19); 0 = nothing read. */
  async setLastRead(msgnum: number): Promise<void> {
    ok(await this.conn.command(`SLRP ${Math.max(0, Math.floor(msgnum))}`));
  }

  /** Zap (forget) the current room, §3.20. */
  async forget(): Promise<void> {
    ok(await this.conn.command('FORG'));
  }

  /** Post in the current room, or mail when a recipient is given (ENT0 check then send, §3.23). */
  async enter(draft: Draft): Promise<void> {
    const fields = (post: 0 | 1) => `ENT0 ${post}|${cleanArg(draft.recipient ?? '')}|0|1|${cleanArg(draft.subject ?? '')}||||||||`;
    ok(await this.conn.command(fields(0)));
    const reply = await this.conn.command(fields(1), { send: listingLines(draft.text) });
    if (replyClass(reply.code) !== 'send-listing') throw refused(reply);
  }

  /** Send an instant message (SEXP, §3.24): multi-line when the server pages at level 1. */
  async page(user: string, text: string): Promise<void> {
    const to = cleanArg(user);
    if (this.server.pagingLevel < 1) {
      ok(await this.conn.command(`SEXP ${to}|${cleanArg(text)}`));
      return;
    }
    ok(await this.conn.command(`SEXP ${to}||`));
    const reply = await this.conn.command(`SEXP ${to}|-`, { send: listingLines(text) });
    if (replyClass(reply.code) !== 'send-listing') throw refused(reply);
  }

  /** One waiting instant message, or undefined when none waits (GEXP, §3.25). */
  async nextInstantMessage(): Promise<InstantMessage | undefined> {
    const reply = await this.conn.command('GEXP');
    if (replyClass(reply.code) !== 'listing') return undefined;
    return parseInstantMessage(reply.text, reply.lines);
  }

  /** Keepalive; true when the server says instant messages are waiting (§3.6, §2.3). */
  async noop(timeoutMs?: number): Promise<boolean> {
    const reply = await this.conn.command('NOOP', timeoutMs === undefined ? {} : { timeoutMs });
    return reply.hasMessages;
  }

  async who(): Promise<WhoEntry[]> {
    return ok(await this.conn.command('RWHO')).lines.map(parseWhoLine).filter((w): w is WhoEntry => w !== undefined);
  }

  async enterChat(): Promise<void> {
    ok(await this.conn.command('RCHT enter'));
  }

  /** The next chat line after `seq`, or undefined when there is none yet (§3.27). */
  async pollChat(seq: number): Promise<ChatLine | undefined> {
    const reply = await this.conn.command(`RCHT poll|${seq}`);
    if (reply.code === NOTHING_NEW) return undefined;
    return parseChatLine(ok(reply).text, reply.lines);
  }

  async sayInChat(line: string): Promise<void> {
    const reply = await this.conn.command('RCHT send', { send: listingLines(line) });
    if (replyClass(reply.code) !== 'send-listing') throw refused(reply);
  }

  async leaveChat(): Promise<void> {
    await this.conn.command('RCHT exit');
  }

  /** Log out and close; a connection that is already gone is not an error here. */
  async close(): Promise<void> {
    if (this.conn.isClosed) return;
    // leaving: a refusal or a dropped line here changes nothing for the user, QUIT and close follow
    await this.conn.command('LOUT', { timeoutMs: 2000 }).catch(() => undefined);
    await this.conn.quit();
  }
}

async function handshake(conn: Connection): Promise<ServerInfo> {
  const info = await conn.command('INFO');
  const line = (i: number) => (replyClass(info.code) === 'listing' ? info.lines[i] ?? '' : '');
  // IDEN and MSGP are courtesies: a server that refuses them still serves us (§3.3, §3.4)
  await conn.command(`IDEN 0|0|1|${CLIENT_SOFTWARE}|`);
  await conn.command('MSGP text/plain');
  return { nodeName: line(1), humanNode: line(2), software: line(4), pagingLevel: Number(line(11)) || 0 };
}

async function login(conn: Connection, user: string, password: string): Promise<LoginInfo> {
  const userReply = await conn.command(`USER ${cleanArg(user)}`);
  if (replyClass(userReply.code) !== 'more') throw refused(userReply, 'login failed');
  return parseLogin(ok(await conn.command(`PASS ${cleanArg(password)}`), 'login failed').text);
}

function ok(reply: Reply, context?: string): Reply {
  const cls = replyClass(reply.code);
  if (cls === 'ok' || cls === 'listing') return reply;
  throw refused(reply, context);
}

function refused(reply: Reply, context?: string): ClientError {
  const reason = reply.text.trim() || `the server answered ${reply.code}`;
  return new ClientError('refused', context ? `${context}: ${reason}` : reason, reply.code);
}
