// \Recent (RFC 3501 §2.3.2): a message is recent in exactly one session, the first to see it
// in the mailbox opened read-write. Per user and room the worker keeps the highest UID that a
// session has already claimed; UIDs above it are recent to the next session that claims them.
// Kept in memory, like Dovecot keeps it in its index: after a restart the messages a
// previous worker claimed are recent once more (the flag only advises clients).

export class RecentIndex {
  private readonly marks = new Map<string, number>();

  private mark(usernum: number, roomnum: number): number {
    return this.marks.get(`${usernum}:${roomnum}`) ?? 0;
  }

  /** How many of `uids` (ascending) are recent, without claiming them (STATUS, EXAMINE). */
  count(usernum: number, roomnum: number, uids: readonly number[]): number {
    const mark = this.mark(usernum, roomnum);
    let n = 0;
    for (let i = uids.length - 1; i >= 0 && uids[i]! > mark; i--) n += 1;
    return n;
  }

  /** Claim the UIDs above the mark (SELECT, new messages in a read-write session); returns them. */
  claim(usernum: number, roomnum: number, uids: readonly number[]): number[] {
    const mark = this.mark(usernum, roomnum);
    const out: number[] = [];
    for (let i = uids.length - 1; i >= 0 && uids[i]! > mark; i--) out.push(uids[i]!);
    if (out.length) this.marks.set(`${usernum}:${roomnum}`, out[0]!);
    return out.reverse();
  }

  /** UIDs above the mark (EXAMINE: recent here, but left for a read-write session to claim). */
  peek(usernum: number, roomnum: number, uids: readonly number[]): number[] {
    const mark = this.mark(usernum, roomnum);
    return uids.filter((u) => u > mark);
  }
}
