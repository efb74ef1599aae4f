import { z } from "zod";

const Secret = (minLength: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is missing" : "must be a string") })
    .min(minLength, { error: `must be at least ${minLength} characters` });

const optionalSecret = z.string().min(1).optional();

const DurationMs = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === "") return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer between ${min} and ${max} (ms), got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

/**
 * Everything the edge reads from its environment, validated once. Names follow the runbook
 * (DESIGN.md "Environment"); a missing or malformed value is a startup error naming the variable.
 */
export const ConfigSchema = z
  .object({
    ADMIN_TOKEN: Secret(24),
    LIVEKIT_API_KEY: Secret(3),
    LIVEKIT_API_SECRET: Secret(32),
    LIVEKIT_URL: z
      .string({ error: "is missing" })
      .regex(/^wss?:\/\/[^\s]+$/, { error: "must be a ws:// or wss:// URL" }),
    PSP_PROVIDER: z.enum(["razorpay", "cashfree", "simulator"], {
      error: 'must be one of "razorpay", "cashfree", "simulator"',
    }),
    WEBHOOK_SECRET: Secret(16),
    PAYMENT_SIGN_SECRET: Secret(16),
    /** The previous signing secret during a rotation: its key stays published so kiosks verify both. */
    PAYMENT_SIGN_SECRET_PREVIOUS: optionalSecret,
    /** The previous webhook secret during a rotation: PSP retries signed before it still verify. */
    WEBHOOK_SECRET_PREVIOUS: optionalSecret,
    OVERRIDE_SECRET: Secret(16),
    RAZORPAY_KEY_ID: optionalSecret,
    RAZORPAY_KEY_SECRET: optionalSecret,
    CASHFREE_APP_ID: optionalSecret,
    CASHFREE_SECRET_KEY: optionalSecret,
    /** Cashfree PG base URL: the sandbox by default; production is https://api.cashfree.com/pg. */
    CASHFREE_API_BASE: z
      .string()
      .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
      .optional()
      .default("https://sandbox.cashfree.com/pg"),
    PRELOAD_LEAD_MS: DurationMs(100, 60_000, 2_000),
    STORY_START_DELAY_MS: DurationMs(0, 60_000, 2_500),
    SESSION_IDLE_TIMEOUT_MS: DurationMs(5_000, 86_400_000, 180_000),
    SESSION_MAX_AGE_MS: DurationMs(60_000, 7 * 86_400_000, 3_600_000),
    /** How long a payment QR stays payable (Razorpay accepts 2 min – 2 h). */
    PAYMENT_TTL_MS: DurationMs(120_000, 7_200_000, 300_000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).optional().default("info"),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.PSP_PROVIDER === "razorpay") {
      for (const key of ["RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET"] as const)
        if (!cfg[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when PSP_PROVIDER=razorpay" });
    }
    if (cfg.PSP_PROVIDER === "cashfree") {
      for (const key of ["CASHFREE_APP_ID", "CASHFREE_SECRET_KEY"] as const)
        if (!cfg[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required when PSP_PROVIDER=cashfree" });
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

/** Thrown when the environment is invalid; `problems` name each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

/** Parses raw env values (strings) into a Config, or throws ConfigError naming every bad variable. */
export function parseConfig(raw: Record<string, unknown>): Config {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? String(issue.path[0]) : "environment";
    return `${name} ${issue.message}`;
  });
  throw new ConfigError(problems);
}

const cache = new WeakMap<object, Config | ConfigError>();

/**
 * Config for this isolate's env object, parsed once ("at startup": Workers have no startup hook,
 * so the first request parses and later ones reuse the verdict).
 */
export function configFor(env: object): Config {
  let verdict = cache.get(env);
  if (verdict === undefined) {
    try {
      verdict = parseConfig(env as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      verdict = err;
    }
    cache.set(env, verdict);
  }
  if (verdict instanceof ConfigError) throw verdict;
  return verdict;
}
