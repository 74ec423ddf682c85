// Where Keep is installed: the folder holding bin/keepd.js, found upwards from this module (the
// sources in src/, or a compiled build in .build/<id>/src/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function projectRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'keepd.js')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`cannot find Keep's installation (bin/keepd.js) above ${import.meta.dirname}`);
}
