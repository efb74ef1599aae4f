import { z } from "zod";
import type { Config } from "../lib/config.js";
import { RazorpayPaymentListSchema, RazorpayQrSchema, RazorpayWebhookSchema } from "./razorpay-schemas.js";
import type { PspPayment } from "./reconcile.js";

/** A QR the PSP created for one payment. */
export interface CreatedQr {
  providerRef: string;
  /** What the kiosk renders as the QR: the `upi://pay?…` intent. */
  upiUri: string;
  expiresAt: number;
}

export interface CreateQrInput {
  paymentId: string;
  amountPaise: number;
  expiresAt: number;
  description: string;
  notes: Record<string, string>;
}

/** One payment service provider, as the session uses it. */
export interface PspAdapter {
  readonly provider: Config["PSP_PROVIDER"];
  createQr(input: CreateQrInput): Promise<CreatedQr>;
  closeQr(providerRef: string): Promise<void>;
  /** Payments made on one QR (for polling when a webhook is late or lost). */
  qrPayments(providerRef: string): Promise<PspPayment[]>;
  /** Captured and failed payments created in [from, to) (epoch ms), for reconciliation. */
  listPayments(from: number, to: number): Promise<PspPayment[]>;
}

export class PspError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${provider}: ${detail}`);
    this.name = "PspError";
  }
}

export const RAZORPAY_API = "https://api.razorpay.com/v1";

/** A Razorpay payment entity (API list item or webhook payload) as reconciliation sees it. */
function fromRazorpayPayment(p: {
  id: string;
  amount: number;
  currency: string;
  status: string;
  created_at: number;
}): PspPayment {
  return {
    pspPaymentId: p.id,
    amountPaise: p.amount,
    currency: p.currency,
    status: p.status,
    createdAt: p.created_at * 1000,
  };
}

/**
 * Razorpay UPI QR codes over the REST API with fetch (the SDK rides on axios, which is fragile in
 * workerd): single use, fixed amount, `close_by` = expiry.
 */
export function razorpayAdapter(
  config: Pick<Config, "RAZORPAY_KEY_ID" | "RAZORPAY_KEY_SECRET">,
  fetchFn: typeof fetch = fetch,
  base = RAZORPAY_API,
): PspAdapter {
  const auth = `Basic ${btoa(`${config.RAZORPAY_KEY_ID ?? ""}:${config.RAZORPAY_KEY_SECRET ?? ""}`)}`;
  return {
    provider: "razorpay",
    async createQr(input) {
      const res = await fetchFn(`${base}/payments/qr_codes`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({
          type: "upi_qr",
          name: "Katha",
          usage: "single_use",
          fixed_amount: true,
          payment_amount: input.amountPaise,
          description: input.description,
          close_by: Math.floor(input.expiresAt / 1000),
          notes: { ...input.notes, payment_id: input.paymentId },
        }),
      });
      if (!res.ok)
        throw new PspError("razorpay", res.status, `QR creation failed: ${(await res.text()).slice(0, 200)}`);
      const qr = RazorpayQrSchema.parse(await res.json());
      if (qr.payment_amount !== input.amountPaise)
        throw new PspError("razorpay", 502, "QR amount differs from the request");
      const upiUri = qr.image_content ?? qr.image_url;
      if (!upiUri) throw new PspError("razorpay", 502, "QR has neither image_content nor image_url");
      // Razorpay may cap close_by: the QR's own value is the truth.
      return { providerRef: qr.id, upiUri, expiresAt: qr.close_by * 1000 };
    },
    async closeQr(providerRef) {
      const res = await fetchFn(`${base}/payments/qr_codes/${encodeURIComponent(providerRef)}/close`, {
        method: "POST",
        headers: { authorization: auth },
      });
      // Already closed (paid or expired) is fine: closing is only to stop further payments.
      if (!res.ok && res.status !== 400) throw new PspError("razorpay", res.status, `closing ${providerRef} failed`);
    },
    async qrPayments(providerRef) {
      const res = await fetchFn(`${base}/payments/qr_codes/${encodeURIComponent(providerRef)}/payments?count=100`, {
        headers: { authorization: auth },
      });
      if (!res.ok) throw new PspError("razorpay", res.status, `fetching payments of ${providerRef} failed`);
      return RazorpayPaymentListSchema.parse(await res.json()).items.map(fromRazorpayPayment);
    },
    async listPayments(from, to) {
      const out: PspPayment[] = [];
      for (let skip = 0; ; skip += 100) {
        const url = `${base}/payments?from=${Math.floor(from / 1000)}&to=${Math.floor(to / 1000) - 1}&count=100&skip=${skip}`;
        const res = await fetchFn(url, { headers: { authorization: auth } });
        if (!res.ok) throw new PspError("razorpay", res.status, "listing payments failed");
        const page = RazorpayPaymentListSchema.parse(await res.json());
        out.push(...page.items.map(fromRazorpayPayment));
        if (page.items.length < 100) return out;
      }
    },
  };
}

/**
 * The local PSP simulator: Razorpay-shaped QR codes kept in D1; `POST /simulator/qr/:id/pay` sends
 * the signed `qr_code.credited` webhook a real Razorpay would (see workers/routes/simulator.ts).
 */
export function simulatorAdapter(db: D1Database, now: () => number = Date.now): PspAdapter {
  return {
    provider: "simulator",
    async createQr(input) {
      const id = `qr_sim${crypto.randomUUID().replaceAll("-", "").slice(0, 14)}`;
      await db
        .prepare(
          "INSERT INTO simulator_qr_codes (id, amount_paise, notes, status, close_by, created_at) VALUES (?, ?, ?, 'active', ?, ?)",
        )
        .bind(
          id,
          input.amountPaise,
          JSON.stringify({ ...input.notes, payment_id: input.paymentId }),
          Math.floor(input.expiresAt / 1000),
          now(),
        )
        .run();
      const rupees = (input.amountPaise / 100).toFixed(2);
      const upiUri = `upi://pay?pa=katha.simulator@upi&pn=Katha&am=${rupees}&cu=INR&tr=${id}&tn=${encodeURIComponent(input.description)}`;
      return { providerRef: id, upiUri, expiresAt: Math.floor(input.expiresAt / 1000) * 1000 };
    },
    async closeQr(providerRef) {
      await db.prepare("UPDATE simulator_qr_codes SET status = 'closed' WHERE id = ?").bind(providerRef).run();
    },
    async qrPayments(providerRef) {
      const row = await db
        .prepare("SELECT last_webhook FROM simulator_qr_codes WHERE id = ?")
        .bind(providerRef)
        .first<{ last_webhook: string | null }>();
      const payment = row?.last_webhook
        ? RazorpayWebhookSchema.parse(JSON.parse(row.last_webhook)).payload.payment?.entity
        : undefined;
      return payment ? [fromRazorpayPayment(payment)] : [];
    },
    async listPayments(from, to) {
      // The simulator's "PSP side" is the webhooks it built (delivered or lost).
      const rows = await db
        .prepare("SELECT last_webhook FROM simulator_qr_codes WHERE last_webhook IS NOT NULL")
        .all<{ last_webhook: string }>();
      const out: PspPayment[] = [];
      for (const row of rows.results) {
        const payment = RazorpayWebhookSchema.parse(JSON.parse(row.last_webhook)).payload.payment?.entity;
        const found = payment ? fromRazorpayPayment(payment) : null;
        if (found && found.createdAt >= from && found.createdAt < to) out.push(found);
      }
      return out;
    },
  };
}

/** Cashfree PG API version the adapter speaks. */
export const CASHFREE_API_VERSION = "2025-01-01";

const CashfreeOrderSchema = z.object({
  order_id: z.string(),
  order_amount: z.number(),
  order_currency: z.string(),
  order_status: z.string(),
  payment_session_id: z.string(),
  order_expiry_time: z.string().optional(),
});
const CashfreePaySchema = z.object({
  channel: z.string(),
  data: z.object({ payload: z.object({ default: z.string().startsWith("upi://") }).passthrough() }),
});
const CashfreePaymentsSchema = z.array(
  z.object({
    cf_payment_id: z.union([z.string(), z.number()]).transform(String),
    payment_status: z.string(),
    payment_amount: z.number(),
    payment_currency: z.string().optional(),
    payment_time: z.string().optional(),
  }),
);

/**
 * Cashfree PG: an order per payment (`order_id` = our payment id, expiry = the QR's), then Order Pay
 * with UPI channel `link`, whose `upi://pay` intent the kiosk renders as the QR. Terminating the
 * order closes it; `GET /orders/{id}/payments` serves polling.
 */
export function cashfreeAdapter(
  config: Pick<Config, "CASHFREE_APP_ID" | "CASHFREE_SECRET_KEY" | "CASHFREE_API_BASE">,
  fetchFn: typeof fetch = fetch,
): PspAdapter {
  const headers = {
    "x-client-id": config.CASHFREE_APP_ID ?? "",
    "x-client-secret": config.CASHFREE_SECRET_KEY ?? "",
    "x-api-version": CASHFREE_API_VERSION,
    "content-type": "application/json",
  };
  const base = config.CASHFREE_API_BASE;
  return {
    provider: "cashfree",
    async createQr(input) {
      const orderRes = await fetchFn(`${base}/orders`, {
        method: "POST",
        headers: { ...headers, "x-idempotency-key": input.paymentId },
        body: JSON.stringify({
          order_id: input.paymentId,
          order_amount: input.amountPaise / 100,
          order_currency: "INR",
          customer_details: {
            customer_id: (input.notes.kiosk_id ?? "kiosk").replace(/[^A-Za-z0-9_-]/g, "_"),
            customer_phone: "9999999999",
          },
          order_expiry_time: new Date(input.expiresAt).toISOString(),
          order_note: input.description.slice(0, 200),
          order_tags: input.notes,
        }),
      });
      if (!orderRes.ok)
        throw new PspError(
          "cashfree",
          orderRes.status,
          `order creation failed: ${(await orderRes.text()).slice(0, 200)}`,
        );
      const order = CashfreeOrderSchema.parse(await orderRes.json());
      if (Math.round(order.order_amount * 100) !== input.amountPaise)
        throw new PspError("cashfree", 502, "order amount differs from the request");
      const payRes = await fetchFn(`${base}/orders/sessions`, {
        method: "POST",
        headers,
        body: JSON.stringify({
          payment_session_id: order.payment_session_id,
          payment_method: { upi: { channel: "link" } },
        }),
      });
      if (!payRes.ok)
        throw new PspError(
          "cashfree",
          payRes.status,
          `UPI payment start failed: ${(await payRes.text()).slice(0, 200)}`,
        );
      const pay = CashfreePaySchema.parse(await payRes.json());
      const expiresAt = order.order_expiry_time ? Date.parse(order.order_expiry_time) : input.expiresAt;
      return {
        providerRef: order.order_id,
        upiUri: pay.data.payload.default,
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : input.expiresAt,
      };
    },
    async closeQr(providerRef) {
      const res = await fetchFn(`${base}/orders/${encodeURIComponent(providerRef)}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify({ order_status: "TERMINATED" }),
      });
      // Paid or already expired orders cannot be terminated: that is fine.
      if (!res.ok && res.status !== 400 && res.status !== 409)
        throw new PspError("cashfree", res.status, `terminating ${providerRef} failed`);
    },
    async qrPayments(providerRef) {
      const res = await fetchFn(`${base}/orders/${encodeURIComponent(providerRef)}/payments`, { headers });
      if (!res.ok) throw new PspError("cashfree", res.status, `fetching payments of ${providerRef} failed`);
      return CashfreePaymentsSchema.parse(await res.json())
        .map((p) => ({
          pspPaymentId: p.cf_payment_id,
          amountPaise: Math.round(p.payment_amount * 100),
          currency: p.payment_currency ?? "INR",
          status: p.payment_status,
          createdAt: p.payment_time ? Date.parse(p.payment_time) : Number.NaN,
        }))
        .filter((p) => Number.isFinite(p.createdAt));
    },
    async listPayments() {
      // Cashfree's recon API is cursor-based and settlement-oriented; until it is wired, the
      // reconciliation reads each known order's payments instead (see reconciliation-run.ts).
      throw new PspError("cashfree", 501, "day listing is not implemented for Cashfree; reconcile per order");
    },
  };
}

/** The adapter PSP_PROVIDER selects. */
export function pspFor(config: Config, db: D1Database): PspAdapter {
  if (config.PSP_PROVIDER === "razorpay") return razorpayAdapter(config);
  if (config.PSP_PROVIDER === "cashfree") return cashfreeAdapter(config);
  return simulatorAdapter(db);
}
