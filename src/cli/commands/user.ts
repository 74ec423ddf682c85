// keepd user add|passwd|list|set-level: account administration on the store (audited as the CLI).
import { systemActor, type AccessLevel } from '../../core/index.ts';
import { withCore } from './with-core.ts';
import { promptSecret } from '../prompt.ts';
import { cliOrigin, positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

async function password(args: string[]): Promise<string> {
  const p = takeOption(args, '--password') ?? process.env.KEEP_PASSWORD ?? (await promptSecret('Password: '));
  if (!p) throw new UsageError('an empty password is not allowed');
  return p;
}

function level(v: string | undefined): AccessLevel | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 6) throw new UsageError(`level must be 0-6, not '${v}'`);
  return n as AccessLevel;
}

export const userAdd: CliRunner = {
  async run({ config, args, log }) {
    const lvl = level(takeOption(args, '--level'));
    const pw = await password(args);
    const [name] = positionals(args, 1, 'NAME');
    return withCore(config, log, async (core) => {
      const u = await core.users.create(systemActor(cliOrigin()), { name: name!, password: pw, ...(lvl !== undefined ? { level: lvl } : {}) });
      process.stdout.write(`created user ${u.name} (#${u.usernum}, level ${u.level}, ${u.addresses[0]})\n`);
      return 0;
    });
  },
};

export const userPasswd: CliRunner = {
  async run({ config, args, log }) {
    const pw = await password(args);
    const [name] = positionals(args, 1, 'NAME');
    return withCore(config, log, async (core) => {
      const u = core.users.get(name!);
      await core.users.changePassword(systemActor(cliOrigin()), u.usernum, pw);
      process.stdout.write(`password changed for ${u.name}\n`);
      return 0;
    });
  },
};

export const userSetLevel: CliRunner = {
  async run({ config, args, log }) {
    const [name, lv] = positionals(args, 2, 'NAME LEVEL');
    const newLevel = level(lv)!;
    return withCore(config, log, async (core) => {
      const u = await core.users.setLevel(systemActor(cliOrigin()), core.users.get(name!).usernum, newLevel);
      process.stdout.write(`${u.name} is now level ${u.level}\n`);
      return 0;
    });
  },
};

export const userList: CliRunner = {
  async run({ config, args, log }) {
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    return withCore(config, log, async (core) => {
      const list = core.users.list(systemActor(cliOrigin()), { includeDeleted: true });
      if (json) process.stdout.write(`${JSON.stringify(list.map((u) => ({ usernum: u.usernum, name: u.name, level: u.level, addresses: u.addresses, lastCall: u.lastCall })))}\n`);
      else for (const u of list) process.stdout.write(`${String(u.usernum).padStart(5)}  ${u.name.padEnd(25)} level ${u.level}  ${u.addresses.join(', ')}\n`);
      return 0;
    });
  },
};
