/** Summary of a session's image sync errors (kiosk-reported `img_shown.error_ms`). */
export interface SyncStats {
  count: number;
  p50AbsMs: number | null;
  p95AbsMs: number | null;
  p99AbsMs: number | null;
  maxAbsMs: number | null;
  meanMs: number | null;
  /** Reports beyond the runbook's alert threshold (±150 ms). */
  overAlert: number;
}

export const SYNC_ALERT_MS = 150;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

export function summarizeSyncErrors(errorsMs: readonly number[]): SyncStats {
  const abs = errorsMs.map(Math.abs).sort((a, b) => a - b);
  const mean = errorsMs.length === 0 ? null : errorsMs.reduce((a, b) => a + b, 0) / errorsMs.length;
  return {
    count: errorsMs.length,
    p50AbsMs: percentile(abs, 50),
    p95AbsMs: percentile(abs, 95),
    p99AbsMs: percentile(abs, 99),
    maxAbsMs: abs.length === 0 ? null : (abs[abs.length - 1] ?? null),
    meanMs: mean === null ? null : Math.round(mean * 100) / 100,
    overAlert: abs.filter((e) => e > SYNC_ALERT_MS).length,
  };
}
