// The contract between server.ts and each translator: start(deps) → Translator.
import type { Socket } from 'node:net';
import type { Core } from '../core/index.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { ListenerName } from '../net/listeners.ts';
import type { TlsMaterial } from '../net/tls.ts';
import type { AcmeHttp } from '../net/acme/http01.ts';
import type { Metrics } from '../net/metrics.ts';

export interface Runtime {
  restarts: number;
  supervisorStarted: number;
  workerStarted: number;
  ports: Record<string, number>;
}

export interface TranslatorDeps {
  core: Core;
  config: Config;
  log: Logger;
  tls: TlsMaterial;
  /** ACME HTTP-01 answers and renewal state (empty unless KEEP_ACME) */
  acme: AcmeHttp;
  metrics: Metrics;
  runtime: Runtime;
}

export interface Translator {
  /** which listeners' connections this translator serves */
  listeners: ListenerName[];
  /** serve one accepted connection (handed over by the supervisor) */
  handle(socket: Socket, listener: ListenerName): void;
  /** stop: say goodbye to every client in the protocol's own words, then resolve */
  close(): Promise<void>;
}
