import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { reportCsv } from "../payments/reconcile.js";
import { runReconciliation, yesterdayIst } from "../payments/reconciliation-run.js";

/** `GET /v1/admin/reconciliation?day=YYYY-MM-DD&format=json|csv` (default: yesterday, IST). */
export const adminReconciliation = new Hono<AppEnv>().get("/v1/admin/reconciliation", async (c) => {
  const day = c.req.query("day") ?? yesterdayIst(Date.now());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00+05:30`)))
    throw new ApiError(400, "invalid_request", "day must be YYYY-MM-DD");
  const format = c.req.query("format") ?? "json";
  if (format !== "json" && format !== "csv") throw new ApiError(400, "invalid_request", "format must be json or csv");
  const report = await runReconciliation(c.env, c.var.config, day);
  c.var.log.info("reconciliation run", { day, ...report.summary });
  if (format === "csv")
    return c.body(reportCsv(report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="katha-reconciliation-${day}.csv"`,
    });
  return c.json(report);
});
