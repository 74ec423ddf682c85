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
