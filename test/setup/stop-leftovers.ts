// After each test file: stop any server the file started and did not stop (its beforeAll timed
// out before it had the handle, or its afterAll failed), so the next file starts on a quiet machine.
import { afterAll } from 'vitest';
import { stopLeftovers } from '../helpers/start-keep.ts';

afterAll(async () => {
  const n = await stopLeftovers();
  if (n > 0) console.warn(`stopped ${n} keepd this test file left running`);
}, 30_000);
