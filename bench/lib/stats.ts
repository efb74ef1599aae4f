/** Nearest-rank percentiles of a sample, for benchmark reports. */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
}

export function formatRow(label: string, s: Summary): string {
  const f = (v: number) => v.toFixed(1).padStart(8);
  return `${label.padEnd(44)} n=${String(s.n).padStart(6)}  p50${f(s.p50)}  p95${f(s.p95)}  p99${f(s.p99)}  max${f(s.max)}  (ms)`;
}
