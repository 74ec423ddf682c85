// Who is acting: a logged-in user or the system itself, and from where (for the audit log).
import type { AccessLevel } from '../store/index.ts';

export type Actor =
  | { kind: 'user'; usernum: number; name: string; level: AccessLevel; origin: string }
  | { kind: 'system'; name: string; origin: string };

export const LEVEL = {
  deleted: 0, new: 1, problem: 2, local: 3, network: 4, preferred: 5, aide: 6,
} as const;

export function systemActor(origin = 'system'): Actor {
  return { kind: 'system', name: 'system', origin };
}

export function isAide(actor: Actor): boolean {
  return actor.kind === 'system' || actor.level >= LEVEL.aide;
}

export function actorLabel(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : actor.name;
}
