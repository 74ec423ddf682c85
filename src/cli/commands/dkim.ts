// keepd dkim list|rotate|remove: the DKIM signing keys of the local domains (issue 20).
// Rotation and removal are audited; a running server picks the change up without a restart.
import { systemActor } from '../../core/index.ts';
import { openDkimKeys, localDomainsOf } from '../../core/mail-auth/site.ts';
import { withCore } from './with-core.ts';
import { cliOrigin, positionals, takeFlag, takeOption } from './args.ts';
import type { CliRunner } from './types.ts';
import { UsageError } from '../usage-error.ts';

const SELECTOR_RE = /^[a-z0-9][a-z0-9-]{0,40}$/i;

export const dkimList: CliRunner = {
  async run({ config, args }) {
    const json = takeFlag(args, '--json');
    positionals(args, 0, 'no arguments');
    const opened = openDkimKeys(config);
    await opened.created;
    const keys = opened.keys.all().map(({ privateKeyPem: _p, ...k }) => k);
    if (json) process.stdout.write(`${JSON.stringify(keys)}\n`);
    else for (const k of keys) process.stdout.write(`${k.domain}  ${k.selector}  ${k.algorithm}  ${k.isActive ? 'active' : 'retired'}\n`);
    return 0;
  },
};

export const dkimRotate: CliRunner = {
  async run({ config, args, log }) {
    const now = new Date();
    const base = takeOption(args, '--selector') ?? `keep${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
    positionals(args, 0, 'no arguments');
    if (!SELECTOR_RE.test(base)) throw new UsageError(`'${base}' is not a selector (letters, digits and -)`);
    const { keys, created } = openDkimKeys(config);
    await created;
    const rotated = await keys.rotate(localDomainsOf(config), base);
    await withCore(config, log, (core) => core.audit.record(systemActor(cliOrigin()), 'dkim.rotate', base, { domains: rotated }));
    for (const r of rotated) process.stdout.write(`${r.domain}: signing with ${base}-rsa and ${base}-ed25519${r.previous ? ` (${r.previous} retired, still published)` : ''}\n`);
    return 0;
  },
};

export const dkimRemove: CliRunner = {
  async run({ config, args, log }) {
    const [base] = positionals(args, 1, 'BASE');
    const { keys, created } = openDkimKeys(config);
    await created;
    const domains = await keys.remove(base!);
    if (domains.length === 0) {
      process.stderr.write(`no domain has DKIM keys under ${base}\n`);
      return 1;
    }
    await withCore(config, log, (core) => core.audit.record(systemActor(cliOrigin()), 'dkim.remove', base, { domains }));
    process.stdout.write(`removed ${base} from ${domains.join(', ')}; drop its _domainkey records from DNS\n`);
    return 0;
  },
};
