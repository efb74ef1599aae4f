import { app } from "./app.js";
import type { Env } from "./env.js";
import { configFor } from "./lib/config.js";
import { createLogger, errorFields } from "./lib/logger.js";
import { runReconciliation, yesterdayIst } from "./payments/reconciliation-run.js";

export { KioskSession } from "../durable-objects/index.js";

export default {
  fetch: app.fetch,
  /** Nightly reconciliation of yesterday (IST) — wrangler.toml [triggers]. */
  async scheduled(_controller, env, ctx) {
    const log = createLogger("payments");
    try {
      const config = configFor(env);
      const day = yesterdayIst(Date.now());
      const report = await runReconciliation(env, config, day);
      log.info("scheduled reconciliation", { day, ...report.summary });
    } catch (err) {
      log.error("scheduled reconciliation failed", errorFields(err));
    }
    void ctx;
  },
} satisfies ExportedHandler<Env>;
