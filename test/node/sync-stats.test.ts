import { describe, expect, it } from "vitest";
import { percentile, summarizeSyncErrors } from "../../durable-objects/kiosk-session/sync-stats.js";

describe("sync stats", () => {
  it("uses nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it("summarizes absolute errors and counts reports beyond the ±150 ms alert", () => {
    expect(summarizeSyncErrors([5, -10, 200, -160, 1])).toEqual({
      count: 5,
      p50AbsMs: 10,
      p95AbsMs: 200,
      p99AbsMs: 200,
      maxAbsMs: 200,
      meanMs: 7.2,
      overAlert: 2,
    });
  });

  it("reports nothing for no reports", () => {
    expect(summarizeSyncErrors([])).toMatchObject({ count: 0, p95AbsMs: null, meanMs: null, overAlert: 0 });
  });
});
