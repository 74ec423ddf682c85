// Password hashing with scrypt and a constant-time comparison.
import { scrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

/** Hashes so far, with the time they waited for a turn and the time they took (for /metrics). */
export interface HashingStats { hashes: number; waitSeconds: number; hashSeconds: number }

/**
 * Each scrypt takes a core for tens of milliseconds. Run freely, a burst of logins took both
 * cores of a small machine from the event loop and from LMDB's commits, so every STORE and
 * APPEND waited behind them; at most `limit` at once (one fewer than the cores), and the logins
 * queue for their turn while everything else keeps a core.
 */
export class HashTurns {
  private limit = 1;
  private running = 0;
  private readonly queue: Array<() => void> = [];
  readonly stats: HashingStats = { hashes: 0, waitSeconds: 0, hashSeconds: 0 };

  constructor(limit = 0) {
    this.setLimit(limit);
  }

  setLimit(limit: number): void {
    this.limit = limit > 0 ? limit : Math.max(1, availableParallelism() - 1);
    while (this.running < this.limit && this.queue.length) this.startNext();
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    const queued = performance.now();
    if (this.running < this.limit) this.running++;
    else await new Promise<void>((turn) => this.queue.push(turn)); // the slot is handed over
    const started = performance.now();
    try {
      return await job();
    } finally {
      this.stats.hashes++;
      this.stats.waitSeconds += (started - queued) / 1000;
      this.stats.hashSeconds += (performance.now() - started) / 1000;
      this.running--;
      // after a lowered limit, the slot is given back rather than handed on
      if (this.running < this.limit) this.startNext();
    }
  }

  private startNext(): void {
    const next = this.queue.shift();
    if (!next) return;
    this.running++;
    next();
  }
}

const turns = new HashTurns();

/** How many scrypt hashes may run at once in this process (0: one fewer than the cores, at least one). */
export function setPasswordHashThreads(limit: number): void {
  turns.setLimit(limit);
}

export function passwordHashingStats(): HashingStats {
  return { ...turns.stats };
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return turns.run(() => new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  }));
}

/** Hash a password as `scrypt$N$r$p$salt$hash` (base64 salt and hash). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Check a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random password for generated accounts: 16 characters, no look-alikes. */
export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
