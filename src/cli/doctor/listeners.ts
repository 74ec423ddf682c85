// Doctor: every configured listener answers, and answers as Keep (a greeting naming this server),
// so a port taken by another program or a server that is not running is named, not guessed.
import { listenerSpecs } from '../../net/listeners.ts';
import { probeLine, reachableHost, type ProbeAnswer } from './probe.ts';
import { result, type CheckResult, type DoctorContext } from './types.ts';

interface Expectation {
  isTls: boolean;
  /** the first line a Keep listener sends (or answers to `send`) starts like this */
  greeting: RegExp;
  send?: string;
}

const HTTP_PROBE = 'GET /healthz HTTP/1.0\r\n\r\n';

/** How each of Keep's listeners greets; a listener not listed here is only connected to. */
export const EXPECTATIONS: Record<string, Expectation> = {
  native: { isTls: false, greeting: /^200 / },
  'native-tls': { isTls: true, greeting: /^200 / },
  smtp: { isTls: false, greeting: /^220[ -]/ },
  submission: { isTls: false, greeting: /^220[ -]/ },
  submissions: { isTls: true, greeting: /^220[ -]/ },
  imap: { isTls: false, greeting: /^\* OK / },
  'imap-tls': { isTls: true, greeting: /^\* OK / },
  nntp: { isTls: false, greeting: /^20[01] / },
  nntps: { isTls: true, greeting: /^20[01] / },
  http: { isTls: false, greeting: /^HTTP\/1\.[01] (200|503) /, send: HTTP_PROBE },
  https: { isTls: true, greeting: /^HTTP\/1\.[01] (200|503) /, send: HTTP_PROBE },
};

export interface ListenerAnswer {
  name: string;
  port: number;
  answer?: ProbeAnswer;
}

/** Does this greeting come from this Keep (it names the domain, node or human node name)? */
function isKeepGreeting(ctx: DoctorContext, name: string, line: string): boolean {
  if (name === 'http' || name === 'https') return true; // status line only; /healthz is read separately
  const { domain, nodeName, humanNode } = ctx.config;
  const words = line.toLowerCase().split(/[\s[\]]+/);
  return [domain, nodeName, humanNode].some((n) => words.includes(n.toLowerCase()));
}

/** Probe every listener once; the certificate check reuses what the TLS ones presented. */
export async function probeListeners(ctx: DoctorContext): Promise<{ results: CheckResult[]; answers: ListenerAnswer[] }> {
  const host = reachableHost(ctx.config.bind);
  const answers: ListenerAnswer[] = [];
  const results = await Promise.all(listenerSpecs(ctx.config).map(async (spec): Promise<CheckResult> => {
    const name = `listener ${spec.name}`;
    if (spec.port === 0) return result(name, 'warn', `port 0 (any free port): set a fixed port to check ${spec.proto}`);
    const expect = EXPECTATIONS[spec.name];
    const where = `${host}:${spec.port}`;
    try {
      const answer = await probeLine({ host, port: spec.port, timeoutMs: ctx.timeoutMs, isTls: expect?.isTls ?? false, ...(expect?.send ? { send: expect.send } : {}) });
      answers.push({ name: spec.name, port: spec.port, answer });
      const line = answer.line.slice(0, 80);
      if (expect && !expect.greeting.test(answer.line)) return result(name, 'fail', `${where} is answered by something else: '${line}' (is another program using port ${spec.port}?)`);
      if (!isKeepGreeting(ctx, spec.name, answer.line)) return result(name, 'fail', `${where} answers '${line}', which does not name ${ctx.config.domain}: port ${spec.port} is in use by another server`);
      return result(name, 'ok', `${where} answers${expect ? `: ${line}` : ' (protocol not probed)'}`);
    } catch (err) {
      return result(name, 'fail', `${where}: ${(err as Error).message} (${spec.proto}; is keepd running, and the port free for it?)`);
    }
  }));
  return { results, answers };
}
