// DKIM keys on disk, per sending domain: an RSA-2048 key (RFC 6376) and an Ed25519 key
// (RFC 8463) under one selector base, as <dataDir>/dkim/<domain>/<base>-rsa.pem and
// <base>-ed25519.pem (0600), with <dataDir>/dkim/keys.json naming each domain's active base and
// the older ones that still verify. Generated on first start; `keepd dkim rotate` adds a new base
// and makes it active, and the old one stays published (keepd dns) until `keepd dkim remove`.
// A running worker notices a rotation by keys.json's mtime, so no restart is needed.
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { chmodSync, existsSync, lchownSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

export interface DkimKey {
  domain: string;
  /** the s= tag: <base>-rsa or <base>-ed25519 */
  selector: string;
  base: string;
  algorithm: DkimAlgorithm;
  privateKeyPem: string;
  /** the p= value published in DNS */
  publicKey: string;
  isActive: boolean;
}

interface DomainState { active: string; bases: Record<string, { created: string }> }
interface KeysFile { version: 1; domains: Record<string, DomainState> }

const generate = promisify(generateKeyPair) as (type: 'rsa' | 'ed25519', opts: object) => Promise<{ privateKey: KeyObject }>;

interface KeyPems { rsa: string; ed25519: string }

/** A new RSA-2048 and Ed25519 pair, as PKCS#8 PEM; generated off the event loop. */
async function generatePair(): Promise<KeyPems> {
  const [rsa, ed] = await Promise.all([generate('rsa', { modulusLength: 2048 }), generate('ed25519', {})]);
  return {
    rsa: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ed25519: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/**
 * After how long a keys.lock is taken for abandoned (a holder only writes a few files, or makes
 * a key pair: well under a second), and how long it may be waited for: longer than that, so a
 * lock a crashed holder left is always taken over before a waiter gives up.
 */
const LOCK_STALE_MS = 15_000;
const LOCK_WAIT_MS = 45_000;

const ALGORITHMS: { suffix: string; algorithm: DkimAlgorithm }[] = [
  { suffix: 'rsa', algorithm: 'rsa-sha256' },
  { suffix: 'ed25519', algorithm: 'ed25519-sha256' },
];

/** keep<year>: the default selector base (KEEP_DKIM_SELECTOR overrides it). */
export function defaultSelectorBase(now = new Date()): string {
  return `keep${now.getUTCFullYear()}`;
}

/** The DNS form of a public key: RSA as SubjectPublicKeyInfo, Ed25519 as the raw 32 bytes (RFC 8463 §4.2). */
export function dnsPublicKey(key: KeyObject): string {
  const spki = key.export({ type: 'spki', format: 'der' });
  return (key.asymmetricKeyType === 'ed25519' ? spki.subarray(spki.length - 32) : spki).toString('base64');
}

/** The TXT record text of a key (RFC 6376 §3.6.1). */
export function dkimRecordText(k: Pick<DkimKey, 'algorithm' | 'publicKey'>): string {
  return `v=DKIM1; k=${k.algorithm === 'rsa-sha256' ? 'rsa' : 'ed25519'}; p=${k.publicKey}`;
}

export class DkimKeys {
  private readonly dir: string;
  private readonly file: string;
  private cache: { mtimeMs: number; keys: DkimKey[] } | undefined;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataDir: string) {
    this.dir = join(dataDir, 'dkim');
    this.file = join(this.dir, 'keys.json');
  }

  /**
   * Give every domain without keys a pair under `base`; resolves with the domains that got one.
   * Keys are generated off the event loop (RSA-2048 takes a while); see settled().
   */
  ensure(domains: string[], base: string): Promise<string[]> {
    const work = this.pending.then(async () => {
      const wanted = domains.map((x) => x.toLowerCase());
      const missing = wanted.filter((d) => !this.read().domains[d]);
      if (missing.length === 0) return [];
      // generated outside the lock (RSA takes a while); another process (the standby worker, a
      // keepd command) may have won meanwhile, and then its keys stay and ours are dropped
      const made = new Map(await Promise.all(missing.map(async (d) => [d, await generatePair()] as const)));
      return this.locked(() => {
        const state = this.read();
        const created: string[] = [];
        for (const [d, pems] of made) {
          if (state.domains[d]) continue;
          this.writeKeyFiles(d, base, pems);
          state.domains[d] = { active: base, bases: { [base]: { created: new Date().toISOString() } } };
          created.push(d);
        }
        if (created.length) this.write(state);
        return created;
      });
    });
    this.pending = work.catch(() => undefined);
    return work;
  }

  /** Resolves once keys being generated are on disk (failures are reported to ensure's caller). */
  settled(): Promise<unknown> {
    return this.pending;
  }

  /**
   * New keys under `base` for each domain, made active; the previous base stays (and keeps
   * verifying) until removed. Refuses a base a domain already has.
   */
  async rotate(domains: string[], base: string): Promise<{ domain: string; previous?: string }[]> {
    await this.pending;
    const wanted = domains.map((x) => x.toLowerCase());
    const made = new Map(await Promise.all(wanted.map(async (d) => [d, await generatePair()] as const)));
    return this.locked(() => {
      const state = this.read();
      for (const d of wanted) {
        if (state.domains[d]?.bases[base]) throw new Error(`${d} already has DKIM keys under selector ${base}; choose another with --selector`);
      }
      const out: { domain: string; previous?: string }[] = [];
      for (const d of wanted) {
        const cur = state.domains[d];
        this.writeKeyFiles(d, base, made.get(d)!);
        state.domains[d] = { active: base, bases: { ...cur?.bases, [base]: { created: new Date().toISOString() } } };
        out.push({ domain: d, ...(cur ? { previous: cur.active } : {}) });
      }
      this.write(state);
      return out;
    });
  }

  /** Drop a retired base (its keys and records) from every domain that has it; returns those domains. */
  remove(base: string): Promise<string[]> {
    return this.locked(() => this.removeLocked(base));
  }

  private removeLocked(base: string): string[] {
    const state = this.read();
    const hit: string[] = [];
    for (const [d, s] of Object.entries(state.domains)) {
      if (!s.bases[base]) continue;
      if (s.active === base) throw new Error(`selector ${base} is the active one for ${d}; rotate first`);
      delete s.bases[base];
      hit.push(d);
    }
    if (!hit.length) return hit;
    // keys.json first: a worker reading it meanwhile must never be sent to a key file already gone
    this.write(state);
    for (const d of hit) for (const a of ALGORITHMS) rmSync(join(this.dir, d, `${base}-${a.suffix}.pem`), { force: true });
    return hit;
  }

  /** Every key, active and retired, re-read when keys.json changed. */
  all(): DkimKey[] {
    const mtimeMs = existsSync(this.file) ? statSync(this.file).mtimeMs : 0;
    if (this.cache?.mtimeMs === mtimeMs) return this.cache.keys;
    const state = this.read();
    const keys: DkimKey[] = [];
    for (const [domain, s] of Object.entries(state.domains)) {
      for (const base of Object.keys(s.bases)) {
        for (const a of ALGORITHMS) {
          const pem = readFileSync(join(this.dir, domain, `${base}-${a.suffix}.pem`), 'utf8');
          const publicKey = dnsPublicKey(createPublicKey(createPrivateKey(pem)));
          keys.push({ domain, selector: `${base}-${a.suffix}`, base, algorithm: a.algorithm, privateKeyPem: pem, publicKey, isActive: base === s.active });
        }
      }
    }
    this.cache = { mtimeMs, keys };
    return keys;
  }

  /** The keys to sign a domain's mail with (empty when the domain has none). */
  active(domain: string): DkimKey[] {
    const d = domain.toLowerCase();
    return this.all().filter((k) => k.domain === d && k.isActive);
  }

  private writeKeyFiles(domain: string, base: string, pems: KeyPems): void {
    const dir = join(this.dir, domain);
    this.makeDir(dir);
    for (const [suffix, pem] of [['rsa', pems.rsa], ['ed25519', pems.ed25519]] as const) {
      const path = join(dir, `${base}-${suffix}.pem`);
      writeFileSync(path, pem, { mode: 0o600 });
      chmodSync(path, 0o600); // an existing file keeps its mode through writeFileSync
      this.giveToOwner(path);
    }
  }

  /** mkdir (0700) of dkim/ or a domain's folder, given to the data directory's owner. */
  private makeDir(dir: string): void {
    if (dir !== this.dir) this.makeDir(dirname(dir));
    if (existsSync(dir)) return;
    mkdirSync(dir, { mode: 0o700 });
    this.giveToOwner(dir);
  }

  /**
   * A keepd command run as root (sudo keepd dkim rotate) writes files the server, running as
   * KEEP_RUN_AS, must still read: as root, what we create belongs to the data directory's owner.
   */
  private giveToOwner(path: string): void {
    if (process.getuid?.() !== 0) return;
    const owner = statSync(this.dataDir, { throwIfNoEntry: false });
    if (owner && owner.uid !== 0) lchownSync(path, owner.uid, owner.gid);
  }

  /**
   * Run fn while holding <dkim>/keys.lock (a directory: mkdir is atomic across processes), so
   * the workers and keepd commands that share a data directory never write keys over each other.
   */
  private async locked<T>(fn: () => T): Promise<T> {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    this.makeDir(this.dir);
    const lock = join(this.dir, 'keys.lock');
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        mkdirSync(lock, { mode: 0o700 });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // a holder that died leaves the lock behind; nothing holds it for long
        const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
        if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
        else if (Date.now() > deadline) throw new Error(`DKIM keys are locked by another process (${lock})`);
        else await new Promise((r) => setTimeout(r, 25));
      }
    }
    try {
      return fn();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }

  private read(): KeysFile {
    if (!existsSync(this.file)) return { version: 1, domains: {} };
    return JSON.parse(readFileSync(this.file, 'utf8')) as KeysFile;
  }

  /** keys.json last, by rename, so a reader never sees a base whose key files are not there yet. */
  private write(state: KeysFile): void {
    this.makeDir(this.dir);
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    this.giveToOwner(tmp);
    renameSync(tmp, this.file);
    this.cache = undefined;
  }
}
