import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type KeySet, verifyConfirmation } from "../../protocol/confirmation.js";
import { app } from "../../workers/app.js";
import type { Env } from "../../workers/env.js";
import { signCashfreeBody, signRazorpayBody } from "../../workers/payments/webhook-signature.js";
import { adminHeaders, call, connect, newKiosk, openSession } from "./helpers.js";

async function premiumSetup() {
  const kiosk = await newKiosk();
  const session = await openSession(kiosk);
  const socket = await connect(session);
  await socket.next("session_state");
  const auth = { authorization: `Bearer ${kiosk.credential}`, "content-type": "application/json" };
  const createPayment = () =>
    call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: auth,
      body: '{"storyId":"premium-tale"}',
    });
  return { kiosk, session, socket, auth, createPayment };
}

type Created = {
  paymentId: string;
  provider: string;
  amount: number;
  currency: string;
  upiUri: string;
  expiresAt: number;
};

const qrOf = (upiUri: string) => /[?&]tr=([^&]+)/.exec(upiUri)?.[1] ?? "";
const pay = (qrId: string, query = "") => call(`/simulator/qr/${qrId}/pay${query}`, { method: "POST" });
const keys = async () => (await (await call("/.well-known/katha-keys.json")).json()) as KeySet;

describe("payments with the local PSP simulator", () => {
  it("shows a paywall, and a paid QR unlocks exactly its story with a confirmation the kiosk can verify", async () => {
    const { session, socket, auth, createPayment } = await premiumSetup();
    const res = await createPayment();
    expect(res.status).toBe(201);
    const created = (await res.json()) as Created;
    expect(created).toMatchObject({ provider: "simulator", amount: 4900, currency: "INR" });
    expect(created.upiUri).toMatch(/^upi:\/\/pay\?pa=.*&am=49\.00&cu=INR&tr=qr_sim/);
    expect(await socket.next("paywall")).toMatchObject({
      paymentId: created.paymentId,
      storyId: "premium-tale",
      amountPaise: 4900,
    });
    expect(await socket.request({ type: "select_story", storyId: "premium-tale" })).toMatchObject({
      code: "story_locked",
    });

    const paid = await pay(qrOf(created.upiUri));
    expect(paid.status).toBe(200);
    const confirmed = await socket.next("payment_confirmed");
    expect(await socket.next("payment_status")).toMatchObject({ status: "paid" });
    const verified = await verifyConfirmation(confirmed.confirmation, await keys());
    expect(verified).toMatchObject({
      ok: true,
      confirmation: {
        paymentId: created.paymentId,
        sessionId: session.sessionId,
        storyId: "premium-tale",
        amountPaise: 4900,
      },
    });

    const status = (await (
      await call(`/v1/sessions/${session.sessionId}/payments/${created.paymentId}`, { headers: auth })
    ).json()) as {
      status: string;
      confirmation: string;
    };
    expect(status).toMatchObject({ status: "paid", confirmation: confirmed.confirmation });
    expect((await socket.request({ type: "select_story", storyId: "premium-tale" })).type).toBe("story_start");
  });

  it("gives duplicate webhook deliveries no second effect", async () => {
    const { socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const res = (await (await pay(qrOf(created.upiUri), "?deliveries=3")).json()) as {
      deliveries: Array<{ duplicate: boolean }>;
    };
    expect(res.deliveries.map((d) => d.duplicate)).toEqual([false, true, true]);
    await socket.next("payment_confirmed");
    expect((await socket.request({ type: "ping", t0: 1 })).type).toBe("pong");
    expect(socket.received.filter((m) => m.type === "payment_confirmed")).toEqual([]);
    const ledger = await env.DB.prepare("SELECT COUNT(*) AS n FROM payment_events WHERE payment_id = ?")
      .bind(created.paymentId)
      .first<{ n: number }>();
    expect(ledger?.n).toBe(1);
  });

  it("reuses the open QR for a second request, and refuses free stories and other kiosks", async () => {
    const { session, auth, createPayment } = await premiumSetup();
    const first = (await (await createPayment()).json()) as Created;
    const second = (await (await createPayment()).json()) as Created;
    expect(second.paymentId).toBe(first.paymentId);
    const other = await newKiosk("other");
    const foreign = await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${other.credential}` },
      body: '{"storyId":"premium-tale"}',
    });
    expect(foreign.status).toBe(404);
    const free = await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: auth,
      body: '{"storyId":"free-tale"}',
    });
    expect(free.status).toBe(400);
    const bad = await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: auth,
      body: '{"storyId":"../x"}',
    });
    expect(bad.status).toBe(400);
  });

  it("never unlocks on a wrong amount, and flags it for refund", async () => {
    const { session, socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    await pay(qrOf(created.upiUri), "?amount=100");
    expect(await socket.request({ type: "select_story", storyId: "premium-tale" })).toMatchObject({
      code: "story_locked",
    });
    const row = await env.DB.prepare("SELECT status, refund_reason FROM payments WHERE payment_id = ?")
      .bind(created.paymentId)
      .first();
    expect(row).toEqual({ status: "pending", refund_reason: "amount_mismatch" });
    expect(session.sessionId).toBeTruthy();
  });

  it("expires the QR from the session's alarm; a credit after expiry is a late credit, flagged, never unlocking", async () => {
    const { session, socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(session.sessionId));
    await runInDurableObject(stub, (_i, state) => {
      const row = state.storage.sql
        .exec<{ record: string }>("SELECT record FROM payments WHERE payment_id = ?", created.paymentId)
        .one();
      const record = { ...(JSON.parse(row.record) as Record<string, unknown>), expiresAt: Date.now() - 1_000 };
      state.storage.sql.exec(
        "UPDATE payments SET record = ?, expires_at = ? WHERE payment_id = ?",
        JSON.stringify(record),
        Date.now() - 1_000,
        created.paymentId,
      );
    });
    await runDurableObjectAlarm(stub);
    expect(await socket.next("payment_status")).toMatchObject({ status: "expired" });
    const qr = await env.DB.prepare("SELECT status FROM simulator_qr_codes WHERE id = ?")
      .bind(qrOf(created.upiUri))
      .first();
    expect(qr).toEqual({ status: "closed" });
    await pay(qrOf(created.upiUri));
    expect(await socket.next("payment_status")).toMatchObject({ status: "late_credit" });
    const row = await env.DB.prepare("SELECT refund_reason FROM payments WHERE payment_id = ?")
      .bind(created.paymentId)
      .first();
    expect(row).toEqual({ refund_reason: "late_credit" });
    expect(await socket.request({ type: "select_story", storyId: "premium-tale" })).toMatchObject({
      code: "story_locked",
    });
  });

  it("recovers a lost webhook from the PSP's redelivery, once", async () => {
    const { socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const lost = (await (await pay(qrOf(created.upiUri), "?deliveries=0")).json()) as { deliveries: unknown[] };
    expect(lost.deliveries).toEqual([]);
    expect(await socket.request({ type: "select_story", storyId: "premium-tale" })).toMatchObject({
      code: "story_locked",
    });
    const again = await call(`/simulator/qr/${qrOf(created.upiUri)}/redeliver`, { method: "POST" });
    expect(await again.json()).toMatchObject({ ok: true, duplicate: false, status: "paid" });
    await socket.next("payment_confirmed");
    const twice = await call(`/simulator/qr/${qrOf(created.upiUri)}/redeliver`, { method: "POST" });
    expect(await twice.json()).toMatchObject({ ok: true, duplicate: true, status: "paid" });
    expect((await socket.request({ type: "select_story", storyId: "premium-tale" })).type).toBe("story_start");
    expect(socket.received.filter((m) => m.type === "payment_confirmed")).toEqual([]);
  });

  it("lets a late authorisation win: payment.failed, then the capture for the same payment", async () => {
    const { socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const res = (await (await pay(qrOf(created.upiUri), "?failFirst=true")).json()) as {
      deliveries: Array<{ status: string }>;
    };
    expect(res.deliveries.map((d) => d.status)).toEqual(["failed", "paid"]);
    expect(await socket.next("payment_status")).toMatchObject({ status: "failed" });
    await socket.next("payment_confirmed");
  });

  it("delivers a delayed webhook in the background and still unlocks", async () => {
    const { socket, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const res = (await (await pay(qrOf(created.upiUri), "?delayMs=300")).json()) as {
      delayed: boolean;
      deliveries: unknown[];
    };
    expect(res).toMatchObject({ delayed: true, deliveries: [] });
    expect(await socket.next("payment_confirmed", undefined, 5_000)).toMatchObject({ storyId: "premium-tale" });
  });

  it("flags a payment for a story that was already unlocked (by override) as a duplicate payment", async () => {
    const { session, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(session.sessionId));
    await stub.unlock("premium-tale", "override");
    await pay(qrOf(created.upiUri));
    const row = await env.DB.prepare("SELECT status, refund_reason FROM payments WHERE payment_id = ?")
      .bind(created.paymentId)
      .first();
    expect(row).toEqual({ status: "paid", refund_reason: "duplicate_payment" });
  });

  it("flags a payment that lands after the session ended, since nobody is there to play it", async () => {
    const { session, auth, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    await call(`/v1/sessions/${session.sessionId}/end`, { method: "POST", headers: auth });
    await pay(qrOf(created.upiUri));
    const row = await env.DB.prepare("SELECT refund_reason FROM payments WHERE payment_id = ?")
      .bind(created.paymentId)
      .first();
    expect(row).toEqual({ refund_reason: "late_credit" });
  });

  it("keeps a payment across a Durable Object restart mid-payment", async () => {
    const { session, createPayment } = await premiumSetup();
    const created = (await (await createPayment()).json()) as Created;
    await abortAllDurableObjects();
    await pay(qrOf(created.upiUri));
    const snapshot = (await (await call(`/v1/sessions/${session.sessionId}`, { headers: adminHeaders() })).json()) as {
      unlocked: string[];
    };
    expect(snapshot.unlocked).toEqual(["premium-tale"]);
  });
});

describe("Razorpay webhook endpoint", () => {
  const body =
    '{"entity":"event","account_id":"acc_1","event":"qr_code.credited","contains":["payment","qr_code"],"payload":{"payment":{"entity":{"id":"pay_X","amount":4900,"currency":"INR","status":"captured","created_at":1796300000}},"qr_code":{"entity":{"id":"qr_unknown","image_url":"https:\\/\\/rzp.io\\/i\\/x"}}},"created_at":1796300000}';
  const sign = (raw: string, secret = env.WEBHOOK_SECRET ?? "") =>
    signRazorpayBody(new TextEncoder().encode(raw), secret);
  const post = (raw: string, headers: Record<string, string>) =>
    call("/webhooks/razorpay", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: raw,
    });

  it("refuses missing, tampered and re-serialised signatures with 401 and records nothing", async () => {
    const signature = await sign(body);
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body.replace("4900", "490"), { "x-razorpay-signature": signature })).status).toBe(401);
    expect((await post(JSON.stringify(JSON.parse(body)), { "x-razorpay-signature": signature })).status).toBe(401);
    expect((await post(body, { "x-razorpay-signature": await sign(body, "not-the-secret") })).status).toBe(401);
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM payment_events WHERE psp_payment_id = 'pay_X'").first<{
      n: number;
    }>();
    expect(n?.n).toBe(0);
  });

  it("acknowledges a correctly signed event for an unknown QR and records it for reconciliation", async () => {
    const res = await post(body, { "x-razorpay-signature": await sign(body), "x-razorpay-event-id": "evt_unknown_1" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unmatched: true });
    const row = await env.DB.prepare(
      "SELECT payment_id, provider_ref, amount_paise FROM payment_events WHERE event_id = 'evt_unknown_1'",
    ).first();
    expect(row).toEqual({ payment_id: null, provider_ref: "qr_unknown", amount_paise: 4900 });
  });

  it("does not treat a QR closed because it was paid as an expiry", async () => {
    const kiosk = await newKiosk();
    const session = await openSession(kiosk);
    const res = await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${kiosk.credential}` },
      body: '{"storyId":"premium-tale"}',
    });
    const created = (await res.json()) as Created;
    const closed = `{"entity":"event","event":"qr_code.closed","contains":["qr_code"],"payload":{"qr_code":{"entity":{"id":"${qrOf(created.upiUri)}","status":"closed","close_reason":"paid"}}},"created_at":1796300000}`;
    const ack = await post(closed, {
      "x-razorpay-signature": await sign(closed),
      "x-razorpay-event-id": "evt_closed_paid",
    });
    expect(await ack.json()).toMatchObject({ ignored: "event_type" });
    const status = (await (
      await call(`/v1/sessions/${session.sessionId}/payments/${created.paymentId}`, {
        headers: { authorization: `Bearer ${kiosk.credential}` },
      })
    ).json()) as { status: string };
    expect(status.status).toBe("pending");
  });

  it("acknowledges signed events it does not use, and signed garbage, without an error", async () => {
    const other = body.replace("qr_code.credited", "refund.created");
    expect(await (await post(other, { "x-razorpay-signature": await sign(other) })).json()).toMatchObject({
      ignored: "event_type",
    });
    const garbage = "not json at all";
    const res = await post(garbage, { "x-razorpay-signature": await sign(garbage) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ignored: "malformed" });
  });

  it("refuses oversize bodies", async () => {
    const res = await post("x".repeat(70 * 1024), { "x-razorpay-signature": "0".repeat(64) });
    expect(res.status).toBe(413);
  });
});

describe("/.well-known/katha-keys.json", () => {
  it("publishes the current key, and the previous one during a rotation", async () => {
    const one = await keys();
    expect(one.keys).toHaveLength(1);
    const rotated = await app.request("/.well-known/katha-keys.json", {}, {
      ...env,
      PAYMENT_SIGN_SECRET: "a-brand-new-signing-secret",
      PAYMENT_SIGN_SECRET_PREVIOUS: env.PAYMENT_SIGN_SECRET,
    } as unknown as Env);
    const both = (await rotated.json()) as KeySet;
    expect(both.keys).toHaveLength(2);
    expect(both.keys[1]?.kid).toBe(one.keys[0]?.kid);
    expect(both.keys[0]?.kid).not.toBe(one.keys[0]?.kid);
  });
});

describe("Cashfree webhook endpoint", () => {
  const sign = (ts: string, raw: string, secret = env.CASHFREE_SECRET_KEY ?? "") =>
    signCashfreeBody(new TextEncoder().encode(raw), ts, secret);
  const body = (orderId: string, amount = "49.00", status = "SUCCESS") =>
    `{"type":"PAYMENT_SUCCESS_WEBHOOK","event_time":"2026-12-03T10:00:00+05:30","data":{"order":{"order_id":"${orderId}","order_amount":${amount},"order_currency":"INR"},"payment":{"cf_payment_id":5114910000001,"payment_status":"${status}","payment_amount":${amount},"payment_currency":"INR","payment_time":"2026-12-03T10:00:00+05:30"}}}`;
  const post = (raw: string, headers: Record<string, string>) =>
    call("/webhooks/cashfree", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: raw,
    });

  it("verifies timestamp + raw body, and stays mounted while PSP_PROVIDER is the simulator", async () => {
    const raw = body("order_unknown_1");
    const ts = String(Date.now());
    const res = await post(raw, {
      "x-webhook-signature": await sign(ts, raw),
      "x-webhook-timestamp": ts,
      "x-idempotency-key": "idem-1",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ unmatched: true });
    const row = await env.DB.prepare(
      "SELECT provider, amount_paise, provider_ref FROM payment_events WHERE event_id = 'idem-1'",
    ).first();
    expect(row).toEqual({ provider: "cashfree", amount_paise: 4900, provider_ref: "order_unknown_1" });
  });

  it("refuses stale timestamps, a re-formatted amount and a missing signature", async () => {
    const raw = body("order_x");
    const old = String(Date.now() - 10 * 60_000);
    expect((await post(raw, { "x-webhook-signature": await sign(old, raw), "x-webhook-timestamp": old })).status).toBe(
      401,
    );
    const ts = String(Date.now());
    const signature = await sign(ts, raw);
    expect(
      (await post(raw.replaceAll("49.00", "49"), { "x-webhook-signature": signature, "x-webhook-timestamp": ts }))
        .status,
    ).toBe(401);
    expect((await post(raw, { "x-webhook-timestamp": ts })).status).toBe(401);
  });

  it("fails closed when CASHFREE_SECRET_KEY is not configured", async () => {
    const raw = body("order_y");
    const ts = String(Date.now());
    const res = await app.request(
      "/webhooks/cashfree",
      { method: "POST", headers: { "x-webhook-signature": await sign(ts, raw), "x-webhook-timestamp": ts }, body: raw },
      { ...env, CASHFREE_SECRET_KEY: undefined, CASHFREE_APP_ID: undefined } as unknown as Env,
    );
    expect(res.status).toBe(401);
  });
});

describe("polling the PSP when the webhook is late or lost", () => {
  it("finds a payment whose webhook never came and unlocks from the session's alarm", async () => {
    const kiosk = await newKiosk();
    const session = await openSession(kiosk);
    const socket = await connect(session);
    await socket.next("session_state");
    const res = await call(`/v1/sessions/${session.sessionId}/payments`, {
      method: "POST",
      headers: { authorization: `Bearer ${kiosk.credential}` },
      body: '{"storyId":"premium-tale"}',
    });
    const created = (await res.json()) as Created;
    await pay(qrOf(created.upiUri), "?deliveries=0");
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName(session.sessionId));
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        "UPDATE payments SET next_poll_at = ? WHERE payment_id = ?",
        Date.now() - 1,
        created.paymentId,
      );
    });
    await runDurableObjectAlarm(stub);
    const confirmed = await socket.next("payment_confirmed");
    expect((await verifyConfirmation(confirmed.confirmation, await keys())).ok).toBe(true);
    // The webhook arriving after all changes nothing.
    const late = (await (await call(`/simulator/qr/${qrOf(created.upiUri)}/redeliver`, { method: "POST" })).json()) as {
      status: string;
    };
    expect(late.status).toBe("paid");
    expect((await socket.request({ type: "ping", t0: 0 })).type).toBe("pong");
    expect(socket.received.filter((m) => m.type === "payment_confirmed")).toEqual([]);
  });
});
