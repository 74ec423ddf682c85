// Where the interactive user is: the current room, the one before it (for ungoto), and what
// has been read here, with the Citadel client's rules for recording reading (§3.19): leaving
// with goto marks everything up to the room's highest message read; skip leaves it unread.
import type { KeepSession } from '../api/session.ts';
import { ClientError } from '../errors.ts';
import type { RoomState } from '../wire/parse.ts';

export const LOBBY = '_BASEROOM_';

interface Previous { name: string; lastRead: number }

export class Navigator {
  private previous: Previous | undefined;
  /** the highest message number shown in the current room */
  private lastShown = 0;

  constructor(public room: RoomState) {}

  static async enterLobby(s: KeepSession): Promise<Navigator> {
    return new Navigator(await s.goto(LOBBY));
  }

  noteShown(msgnum: number): void {
    this.lastShown = Math.max(this.lastShown, msgnum);
  }

  /**
   * New messages are read in order, so each one shown moves the last-read pointer up to it:
   * pressing n again shows only what arrived since (SLRP n marks 1..n, §3.19).
   */
  async readUpTo(s: KeepSession, msgnum: number): Promise<void> {
    this.noteShown(msgnum);
    if (msgnum <= this.room.lastRead) return;
    await s.setLastRead(msgnum);
    this.room = { ...this.room, lastRead: msgnum };
  }

  /** Go to a named room, marking the current one read. */
  async goto(s: KeepSession, name: string, password = ''): Promise<RoomState> {
    // SLRP acts on the current room, so it goes before the GOTO, as in the Citadel client
    await this.markRead(s);
    return this.arrive(await s.goto(name, password));
  }

  /** Go to the next room with new messages (or the Lobby when none is left). */
  async gotoNext(s: KeepSession, opts: { markRead: boolean }): Promise<{ room: RoomState; hadNew: boolean }> {
    const candidates = (await s.knownRooms(true)).filter((r) => r.name !== this.room.name);
    if (opts.markRead) await this.markRead(s);
    const next = await s.goto(candidates[0]?.name ?? LOBBY);
    return { room: this.arrive(next), hadNew: candidates.length > 0 };
  }

  /** Back to the previous room, putting its last-read pointer back where it was (§3.19). */
  async ungoto(s: KeepSession): Promise<RoomState> {
    if (!this.previous) throw new ClientError('refused', 'no previous room to go back to');
    const prev = this.previous;
    await s.goto(prev.name);
    await s.setLastRead(prev.lastRead);
    this.previous = undefined;
    this.lastShown = 0;
    this.room = await s.goto(prev.name);
    return this.room;
  }

  /** Zap (forget) the current room and land in the Lobby. */
  async zap(s: KeepSession): Promise<RoomState> {
    await s.forget();
    this.previous = undefined;
    return this.arrive(await s.goto(LOBBY));
  }

  /** After a reconnect: the same room again, or the Lobby if it is gone. */
  async rejoin(s: KeepSession): Promise<void> {
    try {
      this.room = await s.goto(this.room.name);
    } catch (e) {
      if (!(e instanceof ClientError) || e.kind !== 'refused') throw e;
      this.room = await s.goto(LOBBY);
    }
  }

  /** Terminate: record reading like a goto would. */
  async leave(s: KeepSession): Promise<void> {
    await this.markRead(s);
  }

  private async markRead(s: KeepSession): Promise<void> {
    const upTo = Math.max(this.room.highest, this.lastShown);
    if (upTo > 0 && upTo > this.room.lastRead) await s.setLastRead(upTo);
  }

  private arrive(next: RoomState): RoomState {
    this.previous = { name: this.room.name, lastRead: this.room.lastRead };
    this.room = next;
    this.lastShown = 0;
    return next;
  }
}
