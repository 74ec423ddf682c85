// What a doctor check reports: one line each, ok / warn / fail, with a reason a person can act on.
import type { Config } from '../../config/index.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  /** short, stable name: `listener smtp`, `file modes`, `clock` */
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorContext {
  config: Config;
  /** what /healthz said, when the HTTP listener answered it */
  health: Health | undefined;
  /** ms each network probe may take */
  timeoutMs: number;
}

export interface Health {
  status: string;
  worker?: { pid?: number };
  certificates?: { name: string; notAfter: string }[];
}

export type Check = (ctx: DoctorContext) => Promise<CheckResult[]>;

export const result = (name: string, status: CheckStatus, detail: string): CheckResult => ({ name, status, detail });
