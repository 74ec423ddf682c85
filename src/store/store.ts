// The LMDB environment and its named databases; counters, schema version and durable writes.
// One environment per data directory. lmdb-js grows the map by itself when it fills
// (it resizes on MDB_MAP_FULL), so the initial map size is only a starting point.
import { join } from 'node:path';
import { open, type RootDatabase, type Database, type DatabaseOptions } from 'lmdb';
import type {
  AuditRecord, FloorRecord, JournalRecord, MessageRecord, PlacementRecord, QueueRecord,
  RoomRecord, UserRecord, VisitRecord, MetaCounters, WebSessionRecord,
} from './records.ts';
import { runMigrations, SCHEMA_VERSION } from './migrations.ts';
import { shapeOptions } from './shapes.ts';
import { tightenStoreModes } from './file-modes.ts';

import { StoreError, checkDataDirectory } from './data-dir.ts';

export { StoreError };

export type Key = string | number | (string | number)[];

export interface Dbs {
  meta: Database<unknown, string>;
  users: Database<UserRecord, number>;
  userNames: Database<number, string>;
  rooms: Database<RoomRecord, number>;
  roomNames: Database<number, string>;
  floors: Database<FloorRecord, number>;
  messages: Database<MessageRecord, number>;
  /** raw message bytes, beside the metadata so listing never loads bodies */
  bodies: Database<Buffer, number>;
  /** plain-text rendering of each message (decoded best text part), for native and chat */
  texts: Database<string, number>;
  roomLists: Database<PlacementRecord, [number, number]>;
  visits: Database<VisitRecord, [number, number]>;
  messageIds: Database<number, string>;
  queue: Database<QueueRecord, [number, number, string]>;
  audit: Database<AuditRecord, [number, number]>;
  journal: Database<JournalRecord, number>;
  /** web login sessions (keyed by the SHA-256 of the cookie token); not exported */
  webSessions: Database<WebSessionRecord, string>;
}

const IDENTITY = 'keep-store';

export interface StoreOptions {
  dataDir: string;
  /** create the directory and a new store when absent (default true) */
  create?: boolean;
  readOnly?: boolean;
  /** initial map size in bytes; the map grows by itself when a write needs more (tests use a small one) */
  mapSize?: number;
}

export class Store {
  /**
   * Turns a failed write (store full, I/O error) into the error callers should see; core sets
   * it so every protocol answers a full disk with its temporary-failure reply.
   */
  writeErrorMapper: (err: StoreError) => Error = (err) => err;

  /** a write() fn is running (counters may be taken only then) */
  private isWriting = false;
  /** counters taken by the running write() fn, stored once when it returns */
  private txnCounters: MetaCounters | undefined;
  /** settles when the latest write() has (in order) */
  private lastWrite: Promise<void> = Promise.resolve();

  private constructor(readonly env: RootDatabase, readonly dbs: Dbs, readonly dataDir: string) {}

  /** Open (and on first use create) the store; throws StoreError with a one-line reason. */
  static open(opts: StoreOptions): Store {
    const dir = opts.dataDir;
    checkDataDirectory(dir, opts.create ?? true);
    const path = join(dir, 'keep.mdb');
    let env: RootDatabase;
    try {
      env = open({
        path,
        maxDbs: 32,
        mapSize: opts.mapSize ?? 256 * 1024 * 1024,
        readOnly: opts.readOnly ?? false,
        noSubdir: false,
      });
    } catch (err) {
      throw new StoreError('io', `cannot open the store in ${dir}: ${(err as Error).message}`, { cause: err });
    }
    const db = <V, K extends Key>(name: string, encoding: 'msgpack' | 'binary' = 'msgpack') => {
      // lmdb-js passes `encoder` on to msgpackr; its typings do not list it
      const options: DatabaseOptions & { name: string; encoder?: object } = { name, encoding, keyEncoding: 'ordered-binary', encoder: shapeOptions(name) };
      return env.openDB<V, K>(options);
    };
    const dbs: Dbs = {
      meta: db('meta'),
      users: db('users'),
      userNames: db('user-names'),
      rooms: db('rooms'),
      roomNames: db('room-names'),
      floors: db('floors'),
      messages: db('messages'),
      bodies: db('bodies', 'binary'),
      texts: db('texts'),
      roomLists: db('room-lists'),
      visits: db('visits'),
      messageIds: db('message-ids'),
      queue: db('queue'),
      audit: db('audit'),
      journal: db('journal'),
      webSessions: db('web-sessions'),
    };
    const store = new Store(env, dbs, dir);
    if (!opts.readOnly) tightenStoreModes(path);
    if (!opts.readOnly) store.initMeta();
    else store.checkIdentity();
    return store;
  }

  private checkIdentity(): void {
    const identity = this.dbs.meta.get('identity');
    if (identity !== IDENTITY) throw new StoreError('foreign', `${this.dataDir} does not hold a Keep store`);
    const version = this.dbs.meta.get('schemaVersion') as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError('too-new', `${this.dataDir} has schema version ${version}; this Keep knows up to ${SCHEMA_VERSION}`);
    }
  }

  private initMeta(): void {
    const identity = this.dbs.meta.get('identity');
    if (identity === undefined) {
      if (this.dbs.users.getKeysCount() > 0 || this.dbs.messages.getKeysCount() > 0) {
        throw new StoreError('foreign', `${this.dataDir} holds an LMDB environment that is not a Keep store`);
      }
      this.env.transactionSync(() => {
        this.dbs.meta.putSync('identity', IDENTITY);
        this.dbs.meta.putSync('schemaVersion', SCHEMA_VERSION);
        this.dbs.meta.putSync('created', Date.now());
        const counters: MetaCounters = { nextMessage: 1, nextUser: 1, nextRoom: 1, nextFloor: 1, modseq: 1, auditSeq: 1 };
        this.dbs.meta.putSync('counters', counters);
      });
      return;
    }
    this.checkIdentity();
    runMigrations(this);
  }

  /** The counters: as stored, or inside write() with what fn has taken so far (a copy). */
  counters(): MetaCounters {
    if (this.txnCounters) return { ...this.txnCounters };
    return this.dbs.meta.get('counters') as MetaCounters;
  }

  /** Raise a counter to at least `min` (inside write(), like next()). */
  raise(name: keyof MetaCounters, min: number): void {
    const c = this.takenCounters();
    c[name] = Math.max(c[name], min);
  }

  /**
   * Take the next value of a never-reused counter. Only valid inside a write transaction
   * (write()), where writers are serialised, so two callers never get the same number.
   */
  next(name: keyof MetaCounters): number {
    // read once per write() and stored once when fn returns: a post takes two numbers
    const c = this.takenCounters();
    return c[name]++;
  }

  private takenCounters(): MetaCounters {
    if (!this.isWriting) throw new Error('store counters are taken only inside write()');
    return (this.txnCounters ??= { ...this.counters() });
  }

  /**
   * Run fn in one write transaction; resolve with its result only after the commit is
   * durable on disk. If fn throws, nothing it wrote is kept and the error is rethrown.
   * Concurrent calls are batched by lmdb-js into one commit and one sync.
   */
  async write<T>(fn: () => T): Promise<T> {
    // writes resolve in the order they were made, so what callers do next (events, replies)
    // follows the order of the modseqs and numbers their transactions took: each write waits
    // for its own flush, and two flushes' waiters could otherwise wake in either order
    const before = this.lastWrite;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => { done = resolve; });
    // a write that fails settles at once; the next one must still wait for those before it
    this.lastWrite = Promise.all([before, mine]).then(() => undefined);
    try {
      const result = await this.writeNow(fn);
      await before;
      return result;
    } finally {
      done();
    }
  }

  private async writeNow<T>(fn: () => T): Promise<T> {
    let result: T | undefined;
    let failure: unknown;
    let failed = false;
    try {
      await this.env.childTransaction(() => {
        // a write() inside fn would run nested and hand out the numbers fn has taken again
        if (this.isWriting) {
          failed = true;
          failure = new Error('store.write() called inside another write');
          throw failure;
        }
        this.isWriting = true;
        this.txnCounters = undefined;
        try {
          result = fn();
          if (this.txnCounters) this.dbs.meta.putSync('counters', this.txnCounters);
        } catch (err) {
          failed = true;
          failure = err;
          throw err; // aborts the child transaction: none of fn's writes are kept
        } finally {
          this.txnCounters = undefined;
          this.isWriting = false;
        }
      });
    } catch (err) {
      if (failed) throw failure;
      throw this.writeErrorMapper(mapWriteError(await commitCause(err)));
    }
    try {
      await this.env.flushed;
    } catch (err) {
      throw this.writeErrorMapper(mapWriteError(err));
    }
    return result as T;
  }

  close(): Promise<void> {
    return this.env.close();
  }
}

/**
 * lmdb-js rejects a failed commit's writes with a generic error whose `commitError` promise
 * carries the real cause (and is otherwise left unhandled, which would end the process).
 */
async function commitCause(err: unknown): Promise<unknown> {
  const commitError = (err as { commitError?: Promise<unknown> } | undefined)?.commitError;
  if (!commitError || typeof commitError.then !== 'function') return err;
  return commitError.then(() => err, (cause: unknown) => cause);
}

/**
 * lmdb-js also rejects an internal promise of a failed batch with the error it already gave each
 * caller; nobody can handle that copy. The worker recognises it here and does not die of it.
 */
export function isCommitFailureEcho(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('Commit failed') && 'commitError' in err;
}

function mapWriteError(err: unknown): StoreError {
  const msg = (err as Error)?.message ?? String(err);
  // LMDB reports a short write (a full disk) as EIO
  const code = (err as { code?: unknown })?.code;
  if (/MDB_MAP_FULL|ENOSPC|No space/i.test(msg) || code === 5 || code === 28 || /Input\/output error/.test(msg)) {
    return new StoreError('full', `the store cannot write (disk full or failing): ${msg}`, { cause: err });
  }
  return new StoreError('io', `store write failed: ${msg}`, { cause: err });
}


export { SCHEMA_VERSION };
