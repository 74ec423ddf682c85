// Debian's python3-dkim (dkimpy) as an independent DKIM signer and verifier for the tests, run
// by /usr/bin/python3 (the system interpreter, where apt puts it). DNS answers come from the
// records the test hands over (dkimpy's dnsfunc), so no resolver is involved.
import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import sys, json, base64, dkim
req = json.load(sys.stdin)
msg = base64.b64decode(req['message'])
if req['op'] == 'sign':
    sig = dkim.sign(msg, req['selector'].encode(), req['domain'].encode(), req['key'].encode(), include_headers=[b'from', b'to', b'subject', b'date', b'message-id'])
    print(json.dumps({'message': base64.b64encode(sig + msg).decode()}))
else:
    records = req['records']
    def dnsfunc(name, timeout=5):
        n = name.decode() if isinstance(name, bytes) else name
        return records.get(n.rstrip('.').lower(), '').encode()
    d = dkim.DKIM(msg)
    n = sum(1 for (k, v) in d.headers if k.lower() == b'dkim-signature')
    out = []
    for i in range(n):
        try:
            ok = d.verify(idx=i, dnsfunc=dnsfunc)
        except Exception as e:
            ok = False
        out.append({'ok': bool(ok), 'algorithm': (d.signature_fields or {}).get(b'a', b'').decode(), 'selector': (d.signature_fields or {}).get(b's', b'').decode()})
    print(json.dumps({'signatures': out}))
`;

/** Why dkimpy cannot be used here, or undefined when it can. */
export function dkimpyMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import dkim, nacl'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found (apt-get install -y python3-dkim)`;
  if (r.status !== 0) return `python3-dkim or python3-nacl missing (apt-get install -y python3-dkim): ${r.stderr.trim().split('\n').at(-1)}`;
  return undefined;
}

function run(req: object): Record<string, unknown> {
  const r = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(req), encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`dkimpy failed: ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

export function dkimpySign(message: Buffer, o: { selector: string; domain: string; privateKeyPem: string }): Buffer {
  const out = run({ op: 'sign', message: message.toString('base64'), selector: o.selector, domain: o.domain, key: o.privateKeyPem });
  return Buffer.from(out.message as string, 'base64');
}

/** Verify every DKIM-Signature of a message against the given TXT records (name → text). */
export function dkimpyVerify(message: Buffer, records: Record<string, string>): { ok: boolean; algorithm: string; selector: string }[] {
  const lower = Object.fromEntries(Object.entries(records).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]));
  return run({ op: 'verify', message: message.toString('base64'), records: lower }).signatures as { ok: boolean; algorithm: string; selector: string }[];
}
