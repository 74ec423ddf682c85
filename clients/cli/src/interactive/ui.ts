// What every interactive command works with.
import type { Settings } from '../options/settings.ts';
import type { Link } from './link.ts';
import type { Navigator } from './navigator.ts';
import type { Terminal } from './terminal.ts';

export interface Ui {
  term: Terminal;
  link: Link;
  nav: Navigator;
  settings: Settings;
  /** end the session after the current command */
  quit(): void;
}
