// THREAD and UID THREAD (RFC 5256 §3): the SEARCH result grouped into conversations by the
// algorithms of thread-tree.ts.
import { command, type CommandTable, type Selected } from './types.ts';
import { ImapError, ok } from '../errors.ts';
import { parseSearch } from './search-keys.ts';
import { search } from './search.ts';
import { viewMessage } from './message-order.ts';
import { itemOf, orderedSubject, references, render, type Item, type Node } from './thread-tree.ts';

const ALGORITHMS: Record<string, (items: Item[]) => Node[]> = { REFERENCES: references, ORDEREDSUBJECT: orderedSubject };

function threadCommand(isUid: boolean) {
  return command({
    needs: 'selected',
    async run(s: Selected, cmd) {
      const alg = cmd.args[0];
      const threader = alg?.t === 'atom' ? ALGORITHMS[alg.v.toUpperCase()] : undefined;
      if (!threader) throw new ImapError('BAD', 'THREAD needs an algorithm: REFERENCES or ORDEREDSUBJECT');
      const charset = cmd.args[1];
      if (!charset || charset.t === 'list' || !/^(UTF-8|US-ASCII)$/i.test(charset.v)) throw new ImapError('NO', 'Charset not supported', 'BADCHARSET (UTF-8 US-ASCII)');
      const box = s.box;
      const items = (await search(s, parseSearch(cmd.args.slice(2)))).flatMap((n) => {
        const m = viewMessage(s, n); // expunged by another session while the search took turns: kept, or left out
        return m ? [itemOf(n, box.seqOf(n), m)] : [];
      });
      const id = (n: number) => (isUid ? box.uidOf(n) : box.seqOf(n));
      const threads = threader(items).map((t) => `(${render(t, id)})`).join('');
      s.send(`* THREAD${threads ? ` ${threads}` : ''}\r\n`);
      return ok(`${isUid ? 'UID ' : ''}THREAD completed`);
    },
  });
}

export const threadCommands: CommandTable = {
  THREAD: threadCommand(false),
  'UID THREAD': threadCommand(true),
};
