// Compiles the TypeScript sources (src/, clients/cli/src/) to JavaScript with tsc, so keepd, its
// worker and the keep client start without compiling anything (issue 21). Each build goes into its
// own directory under .build/ and `dist` is a symlink swapped to it in one rename, so a process
// that is loading modules from the previous build never sees a half-written file; a lock directory
// makes concurrent starters (test workers, a supervisor and its first worker) build once.
// `node bin/build.js` (npm run build) builds now; the launchers call ensureBuilt().
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const BUILDS = join(ROOT, '.build');
const LOCK = join(BUILDS, 'lock');
const INPUTS = ['src', 'clients/cli/src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const KEEP_BUILDS = 3;
const LOCK_WAIT_MS = 5 * 60_000;

/** Newest modification time among the build's inputs (0 when the sources are not shipped). */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return; // an input that is not there (sources not shipped) cannot be newer than the build
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const p of INPUTS) visit(join(ROOT, p));
  return newest;
}

function builtFrom() {
  try {
    return JSON.parse(readFileSync(join(DIST, 'build.json'), 'utf8')).sourcesMtime;
  } catch {
    return undefined; // no build yet
  }
}

/** True when dist/ holds a build of the current sources. */
export function isFresh() {
  const built = builtFrom();
  return built !== undefined && newestInput() <= built;
}

function tscPath() {
  try {
    const require = createRequire(join(ROOT, 'package.json'));
    const pkg = require.resolve('typescript/package.json');
    return join(pkg, '..', JSON.parse(readFileSync(pkg, 'utf8')).bin.tsc);
  } catch {
    return undefined; // installed without dev dependencies
  }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isLockStale() {
  try {
    const pid = Number(readFileSync(join(LOCK, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (err) {
    if (err.code === 'EPERM') return false; // alive, someone else's
    if (err.code === 'ESRCH') return true;
    // no pid written yet: the holder has just made the directory, unless that was long ago
    try {
      return Date.now() - statSync(LOCK).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
}

function withLock(work) {
  mkdirSync(BUILDS, { recursive: true });
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (isLockStale()) rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > until) throw new Error(`another build has held ${LOCK} for 5 minutes; remove it if no build is running`);
    else sleep(100);
  }
  try {
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    return work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function compile() {
  const tsc = tscPath();
  if (!tsc) throw new Error('dist/ is missing or older than the sources, and TypeScript is not installed to build it: run `npm ci && npm run build`');
  const sourcesMtime = newestInput(); // taken before compiling: an edit made during the build makes it stale
  const out = join(BUILDS, `${Date.now().toString(36)}-${process.pid}`);
  // readable by everyone: a server started as root runs its code as KEEP_RUN_AS, whatever the umask
  const umask = process.umask(0o022);
  let r;
  try {
    r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT, encoding: 'utf8' });
  } finally {
    process.umask(umask);
  }
  if (r.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`tsc failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  writeFileSync(join(out, 'build.json'), `${JSON.stringify({ sourcesMtime, builtAt: new Date().toISOString() })}\n`);
  swapDist(out);
  prune(out);
}

function swapDist(out) {
  // a real dist/ directory (from `tsc --outDir dist` by hand) cannot be renamed over: remove it
  if (existsSync(DIST) && !lstatSync(DIST).isSymbolicLink()) rmSync(DIST, { recursive: true, force: true });
  const tmp = `${DIST}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  symlinkSync(relative(ROOT, out), tmp);
  renameSync(tmp, DIST);
}

/** Keep the newest few builds: a process started from one of them may still load modules lazily. */
function prune(current) {
  const mtime = (path) => {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return 0; // gone already (removed by hand): nothing to keep
    }
  };
  const old = readdirSync(BUILDS)
    .filter((n) => n !== 'lock' && join(BUILDS, n) !== current)
    .map((n) => ({ path: join(BUILDS, n), mtime: mtime(join(BUILDS, n)) }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const b of old.slice(KEEP_BUILDS - 1)) rmSync(b.path, { recursive: true, force: true });
}

/** Build when dist/ is missing or older than the sources; returns the real path of a file in dist/. */
export function ensureBuilt(file) {
  if (!isFresh()) {
    if (builtFrom() !== undefined && !tscPath()) {
      process.stderr.write('keep: the sources are newer than dist/ but TypeScript is not installed; running the existing build\n');
    } else {
      try {
        withLock(() => {
          if (isFresh()) return; // built by whoever held the lock before us
          process.stderr.write('keep: compiling the TypeScript sources into dist/ …\n');
          compile();
        });
      } catch (err) {
        // a read-only installation (systemd ProtectSystem=strict) cannot build: run what is there
        if (builtFrom() === undefined || !['EROFS', 'EACCES', 'EPERM'].includes(err.code)) throw err;
        process.stderr.write(`keep: cannot rebuild dist/ (${err.code}); running the existing build. Run npm run build after updating.\n`);
      }
    }
  }
  // the real path, so everything this process loads later comes from this one build
  return realpathSync(join(DIST, file));
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(import.meta.filename)) {
  try {
    if (process.argv.includes('--if-stale')) ensureBuilt('build.json');
    else withLock(compile);
  } catch (err) {
    process.stderr.write(`build: ${err.message}\n`);
    process.exitCode = 1;
  }
}
