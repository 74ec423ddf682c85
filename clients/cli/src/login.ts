// Log in with the configured credentials, asking on the terminal for what is missing.
import { KeepSession } from './api/session.ts';
import { ask } from './options/ask.ts';
import type { Settings } from './options/settings.ts';

export interface Login { session: KeepSession; user: string; password: string }

export async function login(settings: Settings): Promise<Login> {
  const user = settings.user ?? await ask('Enter your name: ', { echo: true, missing: 'no user name: use --user, KEEP_USER or the config file' });
  const password = settings.password ?? await ask(`Password for ${user}: `, { echo: false, missing: 'no password: use --password, KEEP_PASSWORD or the config file' });
  return { session: await KeepSession.open({ ...settings, user, password }), user, password };
}
