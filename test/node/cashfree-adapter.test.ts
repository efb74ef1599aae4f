import { describe, expect, it } from "vitest";
import { CASHFREE_API_VERSION, cashfreeAdapter, PspError } from "../../workers/payments/psp.js";

const config = {
  CASHFREE_APP_ID: "TESTapp",
  CASHFREE_SECRET_KEY: "cfsk_ma_test_x",
  CASHFREE_API_BASE: "https://sandbox.cashfree.com/pg",
};

/** Shapes as Cashfree documents them (Create Order, Order Pay with UPI, Get Payments for an Order), trimmed. */
const order = {
  cf_order_id: "2149460581",
  order_id: "pmt_abc",
  order_amount: 49,
  order_currency: "INR",
  order_status: "ACTIVE",
  payment_session_id: "session_a1b2c3",
  order_expiry_time: "2026-12-03T10:05:00+05:30",
};
const upiLink = {
  payment_method: "upi",
  channel: "link",
  action: "link",
  cf_payment_id: 5114910000001,
  payment_amount: 49,
  data: {
    url: null,
    payload: {
      default: "upi://pay?pa=cashfree@upi&pn=Katha&am=49.00&cu=INR&tr=5114910000001",
      gpay: "tez://upi/pay?pa=cashfree@upi",
    },
    content_type: null,
    method: null,
  },
};

function scripted(responses: Response[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("unexpected call");
    return next;
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe("Cashfree adapter (our side of the PG API)", () => {
  it("creates an order and starts a UPI link payment whose upi:// intent becomes the QR", async () => {
    const { calls, fetchFn } = scripted([Response.json(order), Response.json(upiLink)]);
    const qr = await cashfreeAdapter(config, fetchFn).createQr({
      paymentId: "pmt_abc",
      amountPaise: 4900,
      expiresAt: Date.parse("2026-12-03T10:05:00+05:30"),
      description: "The Iron Pillar",
      notes: { kiosk_id: "ksk_demo", session_id: "s-1" },
    });
    expect(qr).toEqual({
      providerRef: "pmt_abc",
      upiUri: upiLink.data.payload.default,
      expiresAt: Date.parse(order.order_expiry_time),
    });
    expect(calls.map((c) => c.url)).toEqual([
      "https://sandbox.cashfree.com/pg/orders",
      "https://sandbox.cashfree.com/pg/orders/sessions",
    ]);
    const headers = new Headers(calls[0]?.init.headers);
    expect([
      headers.get("x-client-id"),
      headers.get("x-client-secret"),
      headers.get("x-api-version"),
      headers.get("x-idempotency-key"),
    ]).toEqual(["TESTapp", "cfsk_ma_test_x", CASHFREE_API_VERSION, "pmt_abc"]);
    expect(JSON.parse(String(calls[0]?.init.body))).toMatchObject({
      order_id: "pmt_abc",
      order_amount: 49,
      order_currency: "INR",
    });
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({
      payment_session_id: "session_a1b2c3",
      payment_method: { upi: { channel: "link" } },
    });
  });

  it("refuses a mismatched order amount and reports API errors", async () => {
    const wrong = scripted([Response.json({ ...order, order_amount: 1 })]);
    await expect(
      cashfreeAdapter(config, wrong.fetchFn).createQr({
        paymentId: "p",
        amountPaise: 4900,
        expiresAt: 1,
        description: "d",
        notes: {},
      }),
    ).rejects.toThrow(/differs/);
    const failing = scripted([Response.json({ message: "bad", code: "request_failed" }, { status: 401 })]);
    await expect(
      cashfreeAdapter(config, failing.fetchFn).createQr({
        paymentId: "p",
        amountPaise: 4900,
        expiresAt: 1,
        description: "d",
        notes: {},
      }),
    ).rejects.toBeInstanceOf(PspError);
  });

  it("reads an order's payments in paise for polling, and terminates orders", async () => {
    const { calls, fetchFn } = scripted([
      Response.json([
        {
          cf_payment_id: 5114910000001,
          payment_status: "SUCCESS",
          payment_amount: 49.0,
          payment_currency: "INR",
          payment_time: "2026-12-03T10:01:00+05:30",
        },
      ]),
      Response.json({ ...order, order_status: "TERMINATED" }),
    ]);
    const adapter = cashfreeAdapter(config, fetchFn);
    expect(await adapter.qrPayments("pmt_abc")).toEqual([
      {
        pspPaymentId: "5114910000001",
        amountPaise: 4900,
        currency: "INR",
        status: "SUCCESS",
        createdAt: Date.parse("2026-12-03T10:01:00+05:30"),
      },
    ]);
    await adapter.closeQr("pmt_abc");
    expect(calls[1]?.init.method).toBe("PATCH");
    expect(JSON.parse(String(calls[1]?.init.body))).toEqual({ order_status: "TERMINATED" });
  });
});
