// Messages: one module per verb (post, deliver, read, copy/move, remove/purge, search) over a
// shared context. Single-instance store: one message, one placement per room that holds it.
import type { Ctx } from '../context.ts';
import { createMessageContext, type MessagesDeps } from './context.ts';
import { createDelivering } from './deliver.ts';
import { createPosting } from './post.ts';
import { createReading } from './read.ts';
import { createCopying } from './copy.ts';
import { createPurging } from './purge.ts';
import { createSearching } from './search.ts';

export type { MessagesDeps } from './context.ts';
export type { TextPost } from './post.ts';
export type { RawDelivery } from './deliver.ts';

export function createMessages(ctx: Ctx, deps: MessagesDeps) {
  const m = createMessageContext(ctx, deps);
  const delivering = createDelivering(m);
  const reading = createReading(m);
  return {
    ...createPosting(m, delivering),
    deliver: delivering.deliver,
    ...reading,
    ...createSearching(m),
    ...createCopying(m, reading),
    ...createPurging(m),
  };
}

export type Messages = ReturnType<typeof createMessages>;
