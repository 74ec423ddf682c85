#!/usr/bin/env node
// keep launcher: runs the client's compiled JavaScript in dist/, compiling it first when it is
// missing or older than the sources (bin/build.js at the top of the project).
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from '../../../bin/build.js';

await import(pathToFileURL(ensureBuilt('clients/cli/src/main.js')).href);
