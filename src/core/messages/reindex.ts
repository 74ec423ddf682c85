// Records written by an older Keep, brought up to the current form once, at open. Text posts
// stored before the one message builder (issue 18) have no header index, so NNTP OVER/HDR, IMAP
// SEARCH HEADER and native time= found no fields there; their stored bytes always had the full
// header, so the index is read from them with the one header parser.
import type { Ctx } from '../context.ts';
import { headerEnd, indexHeader } from '../mime/header.ts';

const DONE_KEY = 'headerIndexComplete';

/** Index the header of every message stored without one. Returns how many it indexed. */
export async function indexOldHeaders(ctx: Ctx): Promise<number> {
  const { store } = ctx;
  const { dbs } = store;
  if (dbs.meta.get(DONE_KEY)) return 0;
  let count = 0;
  await store.write(() => {
    for (const { value: rec } of dbs.messages.getRange()) {
      if (rec.headers.length > 0) continue;
      const raw = dbs.bodies.get(rec.msgnum);
      const end = raw && headerEnd(raw);
      if (!raw || end === undefined) continue; // nothing to read a header from
      const headers = indexHeader(raw, end);
      if (headers.length === 0) continue;
      dbs.messages.putSync(rec.msgnum, { ...rec, headers });
      count += 1;
    }
    dbs.meta.putSync(DONE_KEY, Date.now());
  });
  if (count) ctx.log.info({ count }, 'indexed the headers of messages stored by an older Keep');
  return count;
}
