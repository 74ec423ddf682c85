#!/usr/bin/env node
// keepd launcher: runs the compiled JavaScript in dist/, compiling it first when it is missing or
// older than the sources (bin/build.js). `node --import tsx src/cli/keepd.ts` is the development route.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.js';

const entry = ensureBuilt('src/cli/keepd.js');
// the supervisor forks its worker from process.argv[1]: point it at this very build, so a worker
// started later runs the same code as its supervisor even if dist/ has been rebuilt meanwhile
process.argv[1] = entry;
await import(pathToFileURL(entry).href);
