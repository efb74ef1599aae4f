import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../workers/lib/config.js";

const valid = {
  ADMIN_TOKEN: "a".repeat(32),
  LIVEKIT_API_KEY: "APIkey",
  LIVEKIT_API_SECRET: "s".repeat(40),
  LIVEKIT_URL: "wss://livekit.example.org",
  PSP_PROVIDER: "simulator",
  WEBHOOK_SECRET: "w".repeat(32),
  PAYMENT_SIGN_SECRET: "p".repeat(32),
  OVERRIDE_SECRET: "o".repeat(32),
};

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("config", () => {
  it("accepts a complete environment and fills defaults for tunables", () => {
    expect(parseConfig(valid)).toMatchObject({
      PRELOAD_LEAD_MS: 2_000,
      SESSION_IDLE_TIMEOUT_MS: 180_000,
      LOG_LEVEL: "info",
    });
    expect(parseConfig({ ...valid, PRELOAD_LEAD_MS: "1500" }).PRELOAD_LEAD_MS).toBe(1_500);
  });

  it("names each missing variable", () => {
    const { ADMIN_TOKEN: _a, OVERRIDE_SECRET: _o, ...rest } = valid;
    expect(problems(rest)).toEqual(["ADMIN_TOKEN is missing", "OVERRIDE_SECRET is missing"]);
  });

  it("names malformed values", () => {
    expect(problems({ ...valid, LIVEKIT_URL: "http://x" })).toEqual(["LIVEKIT_URL must be a ws:// or wss:// URL"]);
    expect(problems({ ...valid, PSP_PROVIDER: "paypal" })[0]).toMatch(/^PSP_PROVIDER must be one of/);
    expect(problems({ ...valid, PRELOAD_LEAD_MS: "2s" })[0]).toMatch(/^PRELOAD_LEAD_MS must be an integer/);
    expect(problems({ ...valid, ADMIN_TOKEN: "short" })).toEqual(["ADMIN_TOKEN must be at least 24 characters"]);
  });

  it("requires the chosen PSP's credentials", () => {
    expect(problems({ ...valid, PSP_PROVIDER: "razorpay" })).toEqual([
      "RAZORPAY_KEY_ID is required when PSP_PROVIDER=razorpay",
      "RAZORPAY_KEY_SECRET is required when PSP_PROVIDER=razorpay",
    ]);
    expect(problems({ ...valid, PSP_PROVIDER: "cashfree", CASHFREE_APP_ID: "x", CASHFREE_SECRET_KEY: "y" })).toEqual(
      [],
    );
  });
});
