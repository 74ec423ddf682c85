// The composition root of a worker: config → store → core → translators, plus the heartbeat
// to the supervisor and the orderly shutdown (goodbye, finish writes, close LMDB, exit 0).
import type { Socket } from 'node:net';
import type { Config } from './config/index.ts';
import type { Logger } from './log/index.ts';
import { Store, isCommitFailureEcho } from './store/index.ts';
import { createCore, type Core, type RegistrationMode, type SeedResult } from './core/index.ts';
import { loadTls } from './net/tls.ts';
import { certificateNames } from './net/tls-names.ts';
import { AcmeHttp } from './net/acme/http01.ts';
import { AcmeManager } from './net/acme/manager.ts';
import { Metrics } from './net/metrics.ts';
import { currentWork } from './net/current-work.ts';
import { watchLoop } from './net/loop-watch.ts';
import type { ListenerName } from './net/listeners.ts';
import type { ToSupervisor, ToWorker } from './net/supervisor-ipc.ts';
import type { Runtime, Translator, TranslatorDeps } from './protocols/types.ts';
import * as native from './protocols/native/index.ts';
import * as smtp from './protocols/smtp/index.ts';
import * as imap from './protocols/imap/index.ts';
import * as nntp from './protocols/nntp/index.ts';
import * as chat from './protocols/chat/index.ts';

const TRANSLATORS = [native, smtp, imap, nntp, chat];
/** A single turn holding the event loop longer than this is logged at warn (issue 16). */
const SLOW_TURN_MS = 100;

export interface Worker {
  core: Core;
  store: Store;
  seeded: SeedResult;
  handle(socket: Socket, listener: ListenerName): void;
  close(): Promise<void>;
}

/** Core settings derived from the configuration. */
export function coreSettings(config: Config) {
  return {
    domain: config.domain, localDomains: config.localDomains, nodeName: config.nodeName, humanNode: config.humanNode,
    maxMessageSize: config.maxMessageSize, quotaBytes: config.quotaMb * 1024 * 1024, newUserLevel: 3, softDeleteMs: config.softDeleteDays * 24 * 3600 * 1000,
    registration: config.registration as RegistrationMode, registrationPerHour: config.registrationPerHour,
    internetMailLevel: config.internetMailLevel, sendPerHour: config.sendPerHour,
    queueRetryMinS: config.queueRetryMin, queueLifetimeS: config.queueLifetime, queueDelayNoticeS: config.queueDelayNotice,
    passwordHashThreads: config.passwordHashThreads,
  };
}

/**
 * Open the store and core, seeding a new store as a first start does (the base rooms and the
 * admin account), so command-line tools work on a data directory no server has opened yet.
 */
export async function openCore(config: Config, log: Logger): Promise<{ store: Store; core: Core; seeded: SeedResult }> {
  const store = Store.open({ dataDir: config.dataDir });
  try {
    const core = createCore({ store, log, settings: coreSettings(config), throttle: { limit: config.authFailureLimit, windowMs: config.authFailureWindow * 1000 } });
    const seeded = await core.seed({ name: config.adminUser, ...(config.adminPassword ? { password: config.adminPassword } : {}) });
    await core.upgrade();
    if (seeded.generatedPassword) {
      process.stdout.write(`first start: admin account '${seeded.adminUser}' created with password '${seeded.generatedPassword}' (shown once; change it with SETP or keepd user passwd)\n`);
      log.warn({ user: seeded.adminUser }, 'admin password generated and printed once');
    }
    return { store, core, seeded };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Build a worker: store, core, first-start seed, TLS, every translator. */
export async function startWorker(config: Config, log: Logger, runtime: Runtime): Promise<Worker> {
  const { store, core, seeded } = await openCore(config, log);
  const tls = await loadTls({ cert: config.tlsCert, key: config.tlsKey, dataDir: config.dataDir, names: certificateNames(config) });
  const metrics = new Metrics();
  metrics.gauge('keep_connections', 'open client connections (all protocols)', () => core.presence.connectionCount());
  metrics.gauge('keep_restarts', 'worker restarts since the supervisor started', () => runtime.restarts);
  metrics.gauge('keep_messages_stored', 'messages in the store', () => core.messages.count());
  core.events.on('placed', () => metrics.inc('keep_placements_total', 'placements written'));
  // a login's time split into its password hash's wait for a turn, the hash itself, and the rest
  metrics.counterFrom('keep_password_hashes_total', 'password hashes (scrypt) made or checked', () => core.passwordHashing().hashes);
  metrics.counterFrom('keep_password_hash_wait_seconds_total', 'time password hashes waited for a turn', () => core.passwordHashing().waitSeconds);
  metrics.counterFrom('keep_password_hash_seconds_total', 'time password hashes took once running', () => core.passwordHashing().hashSeconds);
  const acme = new AcmeHttp();
  const deps: TranslatorDeps = { core, config, log, tls, acme, metrics, runtime };
  const translators: Translator[] = TRANSLATORS.map((t) => t.start(deps));
  const acmeManager = config.acme
    ? new AcmeManager({ directoryUrl: config.acmeDirectory, email: config.acmeEmail, names: certificateNames(config), dataDir: config.dataDir, tls, http: acme, log: log.child({ proto: 'acme' }) })
    : undefined;
  acmeManager?.start();
  core.housekeeping.start();
  core.backup.schedule.start({ intervalSeconds: config.backupInterval, dir: config.backupDir, keep: config.backupKeep });
  const byListener = new Map<ListenerName, Translator>();
  for (const t of translators) for (const l of t.listeners) byListener.set(l, t);
  return {
    core, store, seeded,
    handle(socket, listener) {
      const t = byListener.get(listener);
      if (!t) {
        socket.destroy();
        return;
      }
      metrics.inc('keep_connections_total', 'connections accepted', { listener });
      socket.setKeepAlive(true, 60_000);
      socket.setNoDelay(true);
      t.handle(socket, listener);
    },
    async close() {
      await acmeManager?.stop();
      await Promise.allSettled(translators.map((t) => t.close()));
      core.housekeeping.stop();
      await core.backup.schedule.stop();
      await store.close();
    },
  };
}

/** Run as the supervisor's worker: receive connections over IPC, heartbeat, drain on request. */
export async function runWorker(config: Config, log: Logger, onFatal: (message: string) => never): Promise<void> {
  const send = (m: ToSupervisor) => process.send?.(m);
  // an error nobody caught is a bug: log it with its stack and let the supervisor restart us
  const die = (kind: string) => (err: unknown) => {
    log.fatal({ err }, `worker ${kind}; exiting so the supervisor restarts it`);
    process.exit(1);
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', (err) => {
    if (isCommitFailureEcho(err)) return log.warn({ err: (err as Error).message }, 'failed commit (already answered to its callers)');
    die('unhandled rejection')(err);
  });
  // a standby worker waits here, code loaded, until the supervisor makes it active
  const orphaned = () => process.exit(0);
  process.once('disconnect', orphaned);
  send({ type: 'loaded' });
  const init = await new Promise<Extract<ToWorker, { type: 'init' }>>((resolve) => {
    const onMsg = (m: ToWorker) => {
      if (m.type !== 'init') return;
      process.off('message', onMsg);
      process.off('disconnect', orphaned);
      resolve(m);
    };
    process.on('message', onMsg);
  });
  const runtime: Runtime = { restarts: init.restarts, supervisorStarted: init.supervisorStarted, workerStarted: Date.now(), ports: init.ports };
  let worker: Worker;
  try {
    worker = await startWorker(config, log, runtime);
  } catch (err) {
    send({ type: 'fatal', message: (err as Error).message });
    return onFatal((err as Error).message);
  }
  process.on('message', (m: ToWorker, handle?: Socket) => {
    if (m.type === 'conn' && handle) {
      send({ type: 'taken', id: m.id });
      worker.handle(handle, m.listener);
      handle.resume();
    } else if (m.type === 'shutdown') void shutdown('supervisor');
  });
  // the heartbeat names what is running, and a watcher thread reports a stalled loop on the
  // supervisor's work pipe, so a watchdog kill can say whose command it was (issue 16)
  const hb = setInterval(() => send({ type: 'heartbeat', at: Date.now(), work: currentWork.current }), config.heartbeatInterval);
  const reportFd = process.env.KEEP_WORK_FD ? Number(process.env.KEEP_WORK_FD) : undefined;
  const loop = watchLoop({ log, warnMs: SLOW_TURN_MS, reportFd, stalledMs: Math.min(1000, config.heartbeatTimeout / 2) });
  let isClosing = false;
  const shutdown = async (why: string) => {
    if (isClosing) return;
    isClosing = true;
    clearInterval(hb);
    loop.stop();
    log.info({ why }, 'worker draining');
    // a translator that cannot let go must not keep a worker alive without its supervisor
    setTimeout(() => {
      log.error('worker did not drain in 12 s; exiting anyway');
      process.exit(1);
    }, 12_000).unref();
    await worker.close();
    log.info('worker stopped; store closed');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => { /* the supervisor decides; it sends shutdown */ });
  process.on('disconnect', () => void shutdown('supervisor gone'));
  // a supervisor that went away while startWorker ran fired 'disconnect' before anyone listened
  if (!process.connected) return void shutdown('supervisor gone');
  send({ type: 'ready' });
}
