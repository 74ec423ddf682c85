// Debian's python3-spf (pyspf) as an independent SPF checker for the tests, asking the same DNS
// stub Keep asks (dnspython pointed at it), run by /usr/bin/python3.
import { spawn, spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import sys, json, spf, dns.resolver
req = json.load(sys.stdin)
host, port = req['server'].rsplit(':', 1)
r = dns.resolver.Resolver(configure=False)
r.nameservers = [host]
r.port = int(port)
dns.resolver.default_resolver = r
result, explanation = spf.check2(i=req['ip'], s=req['sender'], h=req['helo'])
print(json.dumps({'result': result}))
`;

/** Why pyspf cannot be used here, or undefined when it can. */
export function pyspfMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import spf, dns.resolver'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (apt-get install -y python3-spf)`;
  if (r.status !== 0) return `python3-spf missing (apt-get install -y python3-spf): ${r.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

/**
 * pyspf's SPF result (pass, fail, softfail, neutral, none, temperror, permerror). Asynchronous:
 * the DNS stub it asks runs in this process and must keep answering meanwhile.
 */
export function pyspfCheck(o: { server: string; ip: string; sender: string; helo: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(PYTHON, ['-c', SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`pyspf failed: ${err}`));
      resolve((JSON.parse(out) as { result: string }).result);
    });
    p.stdin.end(JSON.stringify(o));
  });
}
