// Counters and gauges for /metrics (Prometheus text format), fed by every translator.
import { monitorEventLoopDelay } from 'node:perf_hooks';

type Labels = Record<string, string>;

const key = (name: string, labels: Labels) =>
  `${name}${Object.keys(labels).length ? `{${Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}` : ''}`;

export class Metrics {
  private counters = new Map<string, { name: string; help: string; value: number }>();
  private gauges = new Map<string, { name: string; help: string; read: () => number }>();
  /** counters kept elsewhere and read at each scrape */
  private readCounters = new Map<string, { name: string; help: string; read: () => number }>();
  private lag = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.lag.enable();
  }

  /** one label's rendered keys by name and value: a command counter is bumped per native command */
  private oneLabel = new Map<string, string>();

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const k = this.keyOf(name, labels);
    const c = this.counters.get(k);
    if (c) c.value += by;
    else this.counters.set(k, { name, help, value: by });
  }

  private keyOf(name: string, labels: Labels): string {
    let only: string | undefined;
    for (const l in labels) {
      if (only !== undefined) return key(name, labels);
      only = l;
    }
    if (only === undefined) return name;
    const memo = `${name}\0${only}\0${labels[only]}`;
    let k = this.oneLabel.get(memo);
    if (k === undefined) this.oneLabel.set(memo, (k = key(name, labels)));
    return k;
  }

  counterFrom(name: string, help: string, read: () => number, labels: Labels = {}): void {
    this.readCounters.set(key(name, labels), { name, help, read });
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
    for (const [k, c] of [...this.readCounters].sort()) {
      head(c.name, c.help, 'counter');
      lines.push(`${k} ${c.read()}`);
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
