// MSGS SEARCH and the web client's search: a room's messages whose subject, author or text
// contains the words, in any case, a slice of messages per event-loop turn.
import type { Actor } from '../actor.ts';
import { CoreError } from '../errors.ts';
import { placedNums } from '../rooms/room-list.ts';
import { textOf } from './place.ts';
import type { MessageContext } from './context.ts';

/** messages a search reads per event-loop turn (each means reading its text) */
const SEARCH_SLICE = 1000;

export function createSearching(mc: MessageContext) {
  const { ctx, deps, dbs } = mc;

  /** Does a message's subject, author or text contain the needle (given in lower case)? */
  function matches(msgnum: number, needle: string): boolean {
    const rec = dbs.messages.get(msgnum);
    if (!rec) return false;
    return rec.subject.toLowerCase().includes(needle) || rec.authorName.toLowerCase().includes(needle)
      || textOf(ctx, rec).toLowerCase().includes(needle);
  }

  return {
    /**
     * A room's messages whose subject, author or text contains the words, in any case. Scans
     * SEARCH_SLICE messages per event-loop turn, so a search in a big room does not hold up
     * everyone else's commands.
     */
    async search(actor: Actor, roomnum: number, words: string, slice = SEARCH_SLICE): Promise<number[]> {
      if (!deps.rooms.access(actor, roomnum).canRead) throw new CoreError('not-found', `Room #${roomnum} not found.`);
      const needle = words.toLowerCase();
      const nums = placedNums(dbs, roomnum);
      const out: number[] = [];
      for (let i = 0; i < nums.length; i++) {
        if (i > 0 && i % slice === 0) await new Promise((r) => setImmediate(r));
        if (matches(nums[i]!, needle)) out.push(nums[i]!);
      }
      return out;
    },
  };
}
