// The watchdog parent: binds every listening socket, runs one worker, hands it each accepted
// connection, heartbeats it, and respawns it on exit or stall. Imports only config and log,
// so nothing in the store, core or a translator can take the watchdog down (DESIGN.md §Processes).
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import { raiseFileLimit } from './file-limit.ts';
import { listenerSpecs, type ListenerName } from '../net/listeners.ts';
import { WORK_FD, type StallReport, type ToSupervisor, type ToWorker } from '../net/supervisor-ipc.ts';
import { workFields, type WorkRecord } from '../net/current-work.ts';

export interface SupervisorOptions {
  config: Config;
  log: Logger;
  workerScript: string;
  workerArgs: string[];
}

/** Exit code a worker uses for errors a restart cannot fix (bad data dir, bad config). */
export const EXIT_FATAL = 78;

const CRASH_WINDOW_MS = 30_000;
const CRASH_LIMIT = 5;
const MAX_BACKOFF_MS = 30_000;
const MAX_PENDING = 50_000;
const STARTUP_TIMEOUT_MS = 30_000;

export class Supervisor {
  private servers = new Map<ListenerName, net.Server>();
  private worker: ChildProcess | undefined;
  private standby: ChildProcess | undefined;
  private standbyTimer: NodeJS.Timeout | undefined;
  private stopTimer: NodeJS.Timeout | undefined;
  private isReady = false;
  private pending: { socket: net.Socket; listener: ListenerName }[] = [];
  /** handed to the worker but not yet acknowledged: re-handed to the next worker if this one dies */
  private unacked = new Map<number, { socket: net.Socket; listener: ListenerName }>();
  private nextHandOff = 1;
  private restarts = 0;
  private crashTimes: number[] = [];
  private lastHeartbeat = 0;
  /** what the worker was doing at its last heartbeat, and what its watcher thread saw it stuck in since */
  private lastWork: WorkRecord | undefined;
  private stalledIn: WorkRecord | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private respawnTimer: NodeJS.Timeout | undefined;
  private isStopping = false;
  private hasEverBeenReady = false;
  private readonly started = Date.now();
  private exitCallback: (code: number) => void = () => {};

  constructor(private readonly opts: SupervisorOptions) {}

  /** Bind every listener; rejects with a one-line reason (e.g. port in use). */
  async bind(): Promise<void> {
    raiseFileLimit(this.opts.log);
    try {
      await this.bindAll();
    } catch (err) {
      this.unbind();
      throw err;
    }
  }

  /** Release every bound port, so the process can exit with a one-line reason before it runs. */
  unbind(): void {
    for (const s of this.servers.values()) s.close();
    this.servers.clear();
  }

  private async bindAll(): Promise<void> {
    const { config, log } = this.opts;
    for (const spec of listenerSpecs(config)) {
      const server = net.createServer({ pauseOnConnect: true }, (socket) => this.accept(socket, spec.name));
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EACCES' ? 'permission denied' : err.message;
          reject(new Error(`cannot listen for ${spec.proto} on ${config.bind}:${spec.port}: ${why}`));
        });
        server.listen({ host: config.bind, port: spec.port, backlog: 4096 }, () => resolve());
      });
      server.on('error', (err) => log.error({ err, listener: spec.name }, 'listener error'));
      this.servers.set(spec.name, server);
      const addr = server.address() as net.AddressInfo;
      log.info({ listener: spec.name, proto: spec.proto, address: addr.address, port: addr.port }, `${spec.proto} listening on ${addr.address}:${addr.port}`);
    }
  }

  ports(): Record<string, number> {
    return Object.fromEntries([...this.servers].map(([n, s]) => [n, (s.address() as net.AddressInfo).port]));
  }

  /** Start the first worker and watch it; resolves with the process exit code when stopped. */
  run(): Promise<number> {
    process.on('SIGTERM', () => void this.stop('SIGTERM'));
    process.on('SIGINT', () => void this.stop('SIGINT'));
    this.spawn('start');
    this.heartbeatTimer = setInterval(() => this.checkHeartbeat(), Math.min(1000, this.opts.config.heartbeatInterval));
    return new Promise((resolve) => { this.exitCallback = resolve; });
  }

  private accept(socket: net.Socket, listener: ListenerName): void {
    socket.on('error', () => socket.destroy()); // a reset before hand-off: nothing to serve
    if (this.isReady && this.worker?.connected) return this.handOff(socket, listener);
    if (this.pending.length >= MAX_PENDING) {
      socket.destroy();
      return;
    }
    // the worker is restarting: hold the connection; the next worker serves it
    this.pending.push({ socket, listener });
  }

  private handOff(socket: net.Socket, listener: ListenerName): void {
    const w = this.worker;
    if (!w?.connected) {
      this.pending.push({ socket, listener });
      return;
    }
    // keepOpen: the supervisor keeps its copy of the socket until the worker says it took it,
    // so a worker that dies between accept and take-over cannot lose the connection
    const id = this.nextHandOff++;
    const msg: ToWorker = { type: 'conn', listener, id };
    this.unacked.set(id, { socket, listener });
    const requeue = (why: string) => {
      if (!this.unacked.delete(id)) return;
      this.opts.log.warn({ err: why, listener }, 'hand-off failed; holding the connection for the next worker');
      if (!socket.destroyed) this.pending.push({ socket, listener });
    };
    try {
      w.send(msg, socket, { keepOpen: true }, (err) => {
        if (err) requeue(err.message);
      });
    } catch (err) {
      requeue((err as Error).message);
    }
  }

  /** The worker owns the connection now: close the supervisor's copy (no FIN: the worker's fd stays open). */
  private taken(id: number): void {
    const held = this.unacked.get(id);
    if (!held) return;
    this.unacked.delete(id);
    held.socket.destroy();
  }

  /** Fork a worker process; it loads every module, says 'loaded', then waits for 'init'. */
  private fork(): ChildProcess {
    const child = fork(this.opts.workerScript, this.opts.workerArgs, {
      // LMDB's durable commits run on libuv's thread pool beside scrypt (one per login): with
      // libuv's default of 4 threads a burst of logins made every STORE, EXPUNGE and APPEND wait
      // for the password hashes ahead of it. Hashes also take turns for the cores
      // (KEEP_PASSWORD_HASH_THREADS), so the pool always has threads free for the commits
      env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16', KEEP_ROLE: 'worker', KEEP_WORK_FD: String(WORK_FD) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
    });
    this.readStallReports(child);
    child.on('message', (m: ToSupervisor) => {
      if (m.type === 'loaded' && child !== this.worker) this.opts.log.info({ pid: child.pid }, 'standby worker loaded');
    });
    child.on('error', (err) => this.opts.log.error({ err }, 'worker process error'));
    return child;
  }

  /**
   * Make a worker active: the warm standby when one is loaded (failover in milliseconds,
   * since loading the code is most of a worker's start), otherwise a fresh fork.
   */
  private spawn(cause: string): void {
    const { log } = this.opts;
    this.isReady = false;
    // a standby still loading is closer to ready than a fresh fork: its init waits in the channel
    const standby = this.standby?.connected ? this.standby : undefined;
    if (!standby) this.standby?.kill('SIGKILL');
    this.standby = undefined;
    const child = standby ?? this.fork();
    this.worker = child;
    this.lastHeartbeat = Date.now();
    this.lastWork = undefined;
    this.stalledIn = undefined;
    log.info({ pid: child.pid, cause, restarts: this.restarts, isWarm: standby !== undefined }, 'worker starting');
    const init: ToWorker = { type: 'init', restarts: this.restarts, supervisorStarted: this.started, ports: this.ports() };
    child.send(init);
    child.on('message', (m: ToSupervisor) => {
      if (child !== this.worker) return;
      if (m.type === 'heartbeat') {
        this.lastHeartbeat = Date.now();
        this.lastWork = m.work;
        this.stalledIn = undefined;
      }
      else if (m.type === 'taken') this.taken(m.id);
      else if (m.type === 'ready') {
        this.isReady = true;
        this.hasEverBeenReady = true;
        this.lastHeartbeat = Date.now();
        log.info({ pid: child.pid, waiting: this.pending.length }, 'worker ready');
        const held = this.pending.splice(0);
        for (const p of held) if (!p.socket.destroyed) this.handOff(p.socket, p.listener);
        this.prepareStandby();
      } else if (m.type === 'fatal') {
        log.fatal({ reason: m.message }, m.message);
      }
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
  }

  /** Lines from the worker's watcher thread: the loop has stopped turning inside this record. */
  private readStallReports(child: ChildProcess): void {
    const pipe = child.stdio[WORK_FD];
    if (!pipe || !('on' in pipe)) return;
    let buf = '';
    pipe.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (child !== this.worker) continue;
        try {
          const r = JSON.parse(line) as StallReport;
          if (r.work) this.stalledIn = r.work;
        } catch (err) {
          this.opts.log.warn({ err: (err as Error).message }, 'unreadable stall report from the worker');
        }
      }
    });
    pipe.on('error', (err) => this.opts.log.debug({ err: err.message }, 'work pipe error'));
  }

  /** Keep one loaded worker waiting, so a restart does not wait for the code to load. */
  private prepareStandby(): void {
    if (this.isStopping || this.standby || this.standbyTimer) return;
    const forked = this.fork();
    this.standby = forked;
    forked.on('exit', (code, signal) => {
      if (this.standby !== forked) return;
      this.standby = undefined;
      if (this.isStopping) return;
      this.opts.log.warn({ code, signal }, 'standby worker exited; preparing another');
      this.standbyTimer = setTimeout(() => {
        this.standbyTimer = undefined;
        if (this.isReady) this.prepareStandby();
      }, 5_000);
    });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.worker) return;
    this.worker = undefined;
    this.isReady = false;
    const { log } = this.opts;
    // connections the dead worker never took over go to the next one, first in line
    const orphans = [...this.unacked.values()].filter((h) => !h.socket.destroyed);
    this.unacked.clear();
    this.pending.unshift(...orphans);
    if (this.isStopping) {
      this.finish(code === 0 ? 0 : 1);
      return;
    }
    if (code === EXIT_FATAL) {
      log.fatal({ code }, 'worker cannot start (see the error above); stopping');
      this.isStopping = true;
      this.finish(1);
      return;
    }
    this.restarts += 1;
    const now = Date.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    const overLimit = this.crashTimes.length - CRASH_LIMIT;
    const delay = overLimit > 0 ? Math.min(MAX_BACKOFF_MS, 500 * 2 ** (overLimit - 1)) : 0;
    const cause = signal ? `killed by ${signal}` : `exited with code ${code}`;
    log.error({ code, signal, restarts: this.restarts, delayMs: delay, crashLoop: overLimit > 0 }, `worker ${cause}; restarting${delay ? ` in ${delay} ms (crash loop)` : ''}`);
    if (!this.hasEverBeenReady && this.restarts >= CRASH_LIMIT * 2) {
      log.fatal('the worker never became ready; giving up');
      this.isStopping = true;
      this.finish(1);
      return;
    }
    this.respawnTimer = setTimeout(() => this.spawn(cause), delay);
  }

  private checkHeartbeat(): void {
    const w = this.worker;
    if (!w || this.isStopping) return;
    const silent = Date.now() - this.lastHeartbeat;
    // a starting worker (loading code, opening the store) gets longer than a running one
    const limit = this.isReady ? this.opts.config.heartbeatTimeout : Math.max(this.opts.config.heartbeatTimeout, STARTUP_TIMEOUT_MS);
    if (silent > limit) {
      const work = this.stalledIn ?? this.lastWork;
      const f = workFields(work);
      const who = work ? ` in ${f.proto} connection ${String(f.cid)}${f.user ? ` (user ${String(f.user)})` : ''} running ${String(f.cmd) || 'no command yet'}` : '';
      this.opts.log.error({ pid: w.pid, silentMs: silent, ...f }, `worker heartbeat missing (event loop stalled${who}); killing it`);
      this.lastHeartbeat = Date.now();
      w.kill('SIGKILL');
    }
  }

  /** Drain: the worker says goodbye to clients and closes the store; then exit 0. */
  async stop(signal: string): Promise<void> {
    if (this.isStopping) return;
    this.isStopping = true;
    const { log } = this.opts;
    log.info({ signal }, 'shutting down');
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    if (this.standbyTimer) clearTimeout(this.standbyTimer);
    this.standby?.kill('SIGTERM');
    this.standby = undefined;
    for (const s of this.servers.values()) s.close();
    for (const p of this.pending.splice(0)) p.socket.destroy();
    for (const h of this.unacked.values()) h.socket.destroy();
    this.unacked.clear();
    const w = this.worker;
    if (!w) return this.finish(0);
    const msg: ToWorker = { type: 'shutdown' };
    if (w.connected) w.send(msg);
    else w.kill('SIGTERM');
    // not unref'd: the supervisor stays until its worker is gone, so no worker outlives it
    this.stopTimer = setTimeout(() => {
      if (this.worker) {
        log.error('worker did not stop in time; killing it');
        this.worker.kill('SIGKILL');
      }
    }, 15_000);
  }

  private finish(code: number): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.stopTimer) clearTimeout(this.stopTimer);
    for (const s of this.servers.values()) s.close();
    this.opts.log.info({ code }, 'supervisor exiting');
    this.exitCallback(code);
  }
}
