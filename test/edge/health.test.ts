import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../workers/app.js";
import type { Env } from "../../workers/env.js";
import { call } from "./helpers.js";

describe("health", () => {
  it("reports every binding ok", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: "ok",
      service: "edge",
      components: { config: "ok", durable_objects: "ok", r2: "ok", d1: "ok" },
    });
  });

  it.each(["orchestrator", "images", "payments"])("answers /%s/health in the runbook's shape", async (service) => {
    const res = await call(`/${service}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service });
  });

  it("is degraded with 503 when D1 fails, naming the component", async () => {
    const brokenDb = {
      prepare() {
        throw new Error("D1_ERROR: database unavailable");
      },
    };
    const res = await app.request("/health", {}, { ...env, DB: brokenDb } as unknown as Env);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; components: Record<string, string> };
    expect(body.status).toBe("degraded");
    expect(body.components.d1).toMatch(/^error: D1_ERROR/);
    expect(body.components.r2).toBe("ok");
  });

  it("is degraded when the catalog is missing from R2 and /images/health follows", async () => {
    const emptyBucket = { head: async () => null };
    const brokenEnv = { ...env, CONTENT: emptyBucket } as unknown as Env;
    const res = await app.request("/health", {}, brokenEnv);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { components: Record<string, string> };
    expect(body.components.r2).toContain("catalog.json missing");
    const images = await app.request("/images/health", {}, brokenEnv);
    expect(images.status).toBe(503);
    expect(await images.json()).toEqual({ status: "degraded", service: "images" });
  });

  it("is degraded when the configuration is invalid, naming the variable", async () => {
    const res = await app.request("/health", {}, { ...env, ADMIN_TOKEN: undefined } as unknown as Env);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { components: Record<string, string> };
    expect(body.components.config).toContain("ADMIN_TOKEN is missing");
  });

  it("refuses API calls with 503 config_invalid when config is invalid", async () => {
    const res = await app.request("/v1/catalog", {}, { ...env, PRELOAD_LEAD_MS: "soon" } as unknown as Env);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("config_invalid");
    expect(body.error.message).toContain("PRELOAD_LEAD_MS");
  });
});
