import { describe, expect, it } from "vitest";
import { admit, freshGuard, type GuardLimits, strike } from "../../durable-objects/kiosk-session/message-guard.js";

const limits: GuardLimits = { burst: 3, perSecond: 1, maxStrikes: 3, strikeDecayMs: 1_000 };

describe("message guard", () => {
  it("admits a burst, then rate-limits until tokens refill", () => {
    let state = freshGuard(0, limits);
    const verdicts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = admit(state, 0, limits);
      state = result.state;
      verdicts.push(result.verdict);
    }
    expect(verdicts).toEqual(["accept", "accept", "accept", "rate_limited"]);
    expect(admit(state, 1_000, limits).verdict).toBe("accept");
  });

  it("cuts after repeated invalid messages", () => {
    let state = freshGuard(0, limits);
    const verdicts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = strike(state, 0, limits);
      state = result.state;
      verdicts.push(result.verdict);
    }
    expect(verdicts).toEqual(["accept", "accept", "cut"]);
  });

  it("forgives strikes over time", () => {
    let state = freshGuard(0, limits);
    state = strike(state, 0, limits).state;
    state = strike(state, 0, limits).state;
    expect(strike(state, 2_000, limits).verdict).toBe("accept");
  });

  it("counts rate-limited messages as strikes so a flood of valid messages is cut too", () => {
    let state = freshGuard(0, { ...limits, burst: 1 });
    const verdicts: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = admit(state, 0, { ...limits, burst: 1 });
      state = result.state;
      verdicts.push(result.verdict);
    }
    expect(verdicts).toEqual(["accept", "rate_limited", "rate_limited", "cut", "cut"]);
  });
});
