// The export passphrase: KEEP_EXPORT_PASSPHRASE, or asked on the terminal (twice when encrypting).
import { UsageError } from './usage-error.ts';
import { promptSecret } from './prompt.ts';

export async function passphrase(opts: { isNew: boolean }): Promise<string> {
  let p = process.env.KEEP_EXPORT_PASSPHRASE;
  if (!p) {
    if (!process.stdin.isTTY) throw new UsageError('set KEEP_EXPORT_PASSPHRASE (no terminal to ask for the passphrase)');
    p = await promptSecret('passphrase: ');
    if (opts.isNew && (await promptSecret('passphrase again: ')) !== p) throw new UsageError('the passphrases differ');
  }
  if (opts.isNew && p.length < 8) throw new UsageError('the passphrase must have at least 8 characters');
  return p;
}
