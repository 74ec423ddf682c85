#!/usr/bin/env node
// keep launcher: runs the client's TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
