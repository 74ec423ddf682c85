// Counters and gauges for /metrics (Prometheus text format), fed by every translator.
import { monitorEventLoopDelay } from 'node:perf_hooks';

type Labels = Record<string, string>;

const key = (name: string, labels: Labels) =>
  `${name}${Object.keys(labels).length ? `{${Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : ''}`;

export class Metrics {
  private counters = new Map<string, { name: string; help: string; value: number }>();
  private gauges = new Map<string, { name: string; help: string; read: () => number }>();
  private lag = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.lag.enable();
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const k = key(name, labels);
    const c = this.counters.get(k);
    if (c) c.value += by;
    else this.counters.set(k, { name, help, value: by });
  }

  gauge(name: string, help: string, read: () => number, labels: Labels = {}): void {
    this.gauges.set(key(name, labels), { name, help, read });
  }

  /** Event-loop lag, p99 over the last interval, in seconds. */
  eventLoopLag(): number {
    const v = this.lag.percentile(99) / 1e9;
    this.lag.reset();
    return v;
  }

  render(): string {
    const lines: string[] = [];
    const seen = new Set<string>();
    const head = (name: string, help: string, type: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    for (const [k, c] of [...this.counters].sort()) {
      head(c.name, c.help, 'counter');
      lines.push(`${k} ${c.value}`);
    }
    for (const [k, g] of [...this.gauges].sort()) {
      head(g.name, g.help, 'gauge');
      lines.push(`${k} ${g.read()}`);
    }
    head('keep_event_loop_lag_seconds', 'event-loop lag (p99 since last scrape)', 'gauge');
    lines.push(`keep_event_loop_lag_seconds ${this.eventLoopLag()}`);
    return `${lines.join('\n')}\n`;
  }
}
