import { Hono } from "hono";
import { CATALOG_KEY } from "../../protocol/catalog.js";
import type { AppEnv } from "../app-env.js";
import type { Env } from "../env.js";
import { ConfigError, configFor } from "../lib/config.js";
import { createLogger, errorFields } from "../lib/logger.js";

/** How long one binding check may take before it counts as failed. */
export const HEALTH_CHECK_TIMEOUT_MS = 3_000;

type CheckResult = { ok: true; detail?: string } | { ok: false; detail: string };

async function withTimeout(check: () => Promise<CheckResult>): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: "timed out" }), HEALTH_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      check().catch((err: unknown): CheckResult => {
        createLogger("edge").error("health check failed", errorFields(err));
        return { ok: false, detail: err instanceof Error ? err.message.slice(0, 200) : "failed" };
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The checks behind `/health`, one per binding (exported for tests that break one). */
export const bindingChecks = {
  durable_objects: async (env: Env): Promise<CheckResult> => {
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName("__health__"));
    await stub.healthPing();
    return { ok: true };
  },
  r2: async (env: Env): Promise<CheckResult> => {
    const head = await env.CONTENT.head(CATALOG_KEY);
    return head === null ? { ok: false, detail: "catalog.json missing (run npm run setup)" } : { ok: true };
  },
  d1: async (env: Env): Promise<CheckResult> => {
    await env.DB.prepare("SELECT COUNT(*) AS n FROM kiosks").first();
    return { ok: true };
  },
};

function configCheck(env: Env): CheckResult {
  try {
    configFor(env);
    return { ok: true };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, detail: err.message };
    throw err;
  }
}

function shape(result: CheckResult): string {
  return result.ok ? "ok" : `error: ${result.detail}`;
}

export const health = new Hono<AppEnv>()
  .get("/health", async (c) => {
    const [durableObjects, r2, d1] = await Promise.all([
      withTimeout(() => bindingChecks.durable_objects(c.env)),
      withTimeout(() => bindingChecks.r2(c.env)),
      withTimeout(() => bindingChecks.d1(c.env)),
    ]);
    const config = configCheck(c.env);
    const components = {
      config: shape(config),
      durable_objects: shape(durableObjects),
      r2: shape(r2),
      d1: shape(d1),
    };
    const ok = config.ok && durableObjects.ok && r2.ok && d1.ok;
    return c.json({ status: ok ? "ok" : "degraded", service: "edge", components }, ok ? 200 : 503);
  })
  .get("/orchestrator/health", async (c) => {
    const result = await withTimeout(() => bindingChecks.durable_objects(c.env));
    return c.json({ status: result.ok ? "ok" : "degraded", service: "orchestrator" }, result.ok ? 200 : 503);
  })
  .get("/images/health", async (c) => {
    const result = await withTimeout(() => bindingChecks.r2(c.env));
    return c.json({ status: result.ok ? "ok" : "degraded", service: "images" }, result.ok ? 200 : 503);
  })
  .get("/payments/health", async (c) => {
    const result = await withTimeout(() => bindingChecks.d1(c.env));
    return c.json({ status: result.ok ? "ok" : "degraded", service: "payments" }, result.ok ? 200 : 503);
  });
