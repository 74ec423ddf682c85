// Latency percentiles and rates for benchmark reports.
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return 0;
  const i = Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length));
  return sortedMs[i]!;
}

export function summarize(latenciesMs: number[], elapsedMs: number): { count: number; perSecond: number; p50: number; p99: number } {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { count: s.length, perSecond: Math.round((s.length / elapsedMs) * 1000), p50: round(percentile(s, 50)), p99: round(percentile(s, 99)) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Whole-millisecond latencies counted in buckets, for figures over millions of samples (every
 * delivery of a fan-out) where keeping each sample would cost the bench more than it measures.
 */
export class MsHistogram {
  private buckets = new Uint32Array(60_001); // 0 … 60 s; the last bucket holds anything longer
  count = 0;
  max = 0;

  add(ms: number): void {
    const b = Math.min(this.buckets.length - 1, Math.max(0, Math.round(ms)));
    this.buckets[b]! += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const want = Math.min(this.count, Math.floor((p / 100) * this.count) + 1);
    let seen = 0;
    for (let ms = 0; ms < this.buckets.length; ms++) {
      seen += this.buckets[ms]!;
      if (seen >= want) return ms;
    }
    return this.buckets.length - 1;
  }
}
