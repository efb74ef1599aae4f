import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index.js";
import { adminHeaders, call, newKiosk, openSession } from "./helpers.js";

async function paidSession(query = "") {
  const kiosk = await newKiosk();
  const session = await openSession(kiosk);
  const res = await call(`/v1/sessions/${session.sessionId}/payments`, {
    method: "POST",
    headers: { authorization: `Bearer ${kiosk.credential}` },
    body: '{"storyId":"premium-tale"}',
  });
  const created = (await res.json()) as { paymentId: string; upiUri: string };
  const qr = /tr=([^&]+)/.exec(created.upiUri)?.[1] ?? "";
  await call(`/simulator/qr/${qr}/pay${query}`, { method: "POST" });
  return created;
}

const today = () => new Date(Date.now() + 5.5 * 3_600_000).toISOString().slice(0, 10);

describe("reconciliation (admin and cron)", () => {
  it("reports today's simulator payments against the ledger, as JSON and CSV", async () => {
    const paid = await paidSession();
    await paidSession("?deliveries=0"); // the PSP has it; the webhook was lost
    const res = await call(`/v1/admin/reconciliation?day=${today()}`, { headers: adminHeaders() });
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      summary: Record<string, number>;
      findings: Array<{ kind: string; paymentId?: string }>;
    };
    expect(report.summary.matched).toBeGreaterThanOrEqual(1);
    expect(report.summary.missing_in_ledger).toBeGreaterThanOrEqual(1);
    expect(report.findings).toContainEqual(expect.objectContaining({ kind: "matched", paymentId: paid.paymentId }));
    const csv = await call(`/v1/admin/reconciliation?day=${today()}&format=csv`, { headers: adminHeaders() });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain(`matched,`);
  });

  it("refuses bad days and formats, and non-admin callers", async () => {
    expect((await call("/v1/admin/reconciliation?day=yesterday", { headers: adminHeaders() })).status).toBe(400);
    expect((await call("/v1/admin/reconciliation?format=xml", { headers: adminHeaders() })).status).toBe(400);
    const kiosk = await newKiosk();
    expect(
      (await call("/v1/admin/reconciliation", { headers: { authorization: `Bearer ${kiosk.credential}` } })).status,
    ).toBe(401);
  });

  it("runs nightly from the cron trigger and stores the run", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_runs").first<{ n: number }>();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: "30 19 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM reconciliation_runs").first<{ n: number }>();
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBe(1);
  });
});
