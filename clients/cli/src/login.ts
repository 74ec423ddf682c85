// Log in with the configured credentials, asking on the terminal for what is missing.
import { KeepSession } from './api/session.ts';
import { ClientError } from './errors.ts';
import { ask } from './options/ask.ts';
import type { Settings } from './options/settings.ts';

/** Citadel's 540: wrong password (§3.8) */
const WRONG_PASSWORD = 540;

export interface Login { session: KeepSession; user: string; password: string }

/** A password typed at the prompt may be mistyped: ask again, this many times in all. */
const PROMPT_TRIES = 3;

export async function login(settings: Settings): Promise<Login> {
  const user = settings.user ?? await ask('Enter your name: ', { echo: true, missing: 'no user name: use --user, KEEP_USER or the config file' });
  for (let attempt = 1; ; attempt++) {
    const password = settings.password ?? await ask(`Password for ${user}: `, { echo: false, missing: 'no password: use --password, KEEP_PASSWORD or the config file' });
    try {
      return { session: await KeepSession.open({ ...settings, user, password }), user, password };
    } catch (e) {
      const isWrongPassword = e instanceof ClientError && e.kind === 'refused' && e.code === WRONG_PASSWORD;
      if (settings.password !== undefined || !isWrongPassword || attempt >= PROMPT_TRIES) throw e;
      process.stderr.write(`${e.message}\n`);
    }
  }
}
