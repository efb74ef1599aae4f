import { HTTPException } from "hono/http-exception";
import { factory } from "./app-env.js";
import { ApiError, errorBody } from "./lib/api-error.js";
import { ConfigError, configFor } from "./lib/config.js";
import { createLogger, errorFields, type LogLevel } from "./lib/logger.js";
import { requireAdmin } from "./middleware/auth.js";
import { adminContent } from "./routes/admin-content.js";
import { adminKiosks } from "./routes/admin-kiosks.js";
import { adminReconciliation } from "./routes/admin-reconciliation.js";
import { catalog } from "./routes/catalog.js";
import { content } from "./routes/content.js";
import { health } from "./routes/health.js";
import { override } from "./routes/override.js";
import { payments } from "./routes/payments.js";
import { sessions } from "./routes/sessions.js";
import { simulator } from "./routes/simulator.js";

const LOG_LEVELS = new Set(["debug", "info", "warn", "error"]);

/** The edge Worker's HTTP surface (DESIGN.md "External contracts"). */
export const app = factory.createApp();

app.use(async function requestContext(c, next) {
  const level = LOG_LEVELS.has(c.env.LOG_LEVEL ?? "") ? (c.env.LOG_LEVEL as LogLevel) : "info";
  c.set("log", createLogger("edge", level, { requestId: c.req.header("cf-ray") ?? crypto.randomUUID().slice(0, 8) }));
  await next();
});

app.route("/", health);

// Everything past health needs a valid configuration (fail closed, naming the bad variable).
app.use(async function validConfig(c, next) {
  c.set("config", configFor(c.env));
  await next();
});

app.use("/v1/admin/*", requireAdmin);
app.route("/", catalog);
app.route("/", sessions);
app.route("/", payments);
app.route("/", override);
app.route("/", simulator);
app.route("/", adminKiosks);
app.route("/", adminContent);
app.route("/", adminReconciliation);
app.route("/", content);

app.notFound((c) => c.json(errorBody("not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof ConfigError) {
    createLogger("edge").error("invalid configuration", { problems: err.problems });
    return c.json(errorBody("config_invalid", err.message), 503);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "invalid_request";
    return c.json(errorBody(code, err.message || "request rejected"), status);
  }
  (c.get("log") ?? createLogger("edge")).error("unhandled error", {
    path: new URL(c.req.url).pathname,
    ...errorFields(err),
  });
  return c.json(errorBody("internal", "internal error"), 500);
});
