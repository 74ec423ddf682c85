// Sets of message numbers (seen sets, flag sets) as translators see them: sorted, disjoint,
// inclusive ranges. The store keeps them in this form; core's face offers the reads.
import { ranges as stored } from '../../store/index.ts';

export type NumberSet = [number, number][];

export const ranges = {
  /** Is n in the set? */
  has: (set: NumberSet, n: number): boolean => stored.has(set, n),
  /** How many numbers the set holds. */
  count: (set: NumberSet): number => stored.count(set),
};
