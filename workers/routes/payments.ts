import { Hono } from "hono";
import { z } from "zod";
import { SessionIdSchema, StoryIdSchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { ContentError, loadCatalog } from "../lib/content-store.js";
import { readJsonBody } from "../lib/json-body.js";
import { authenticateKiosk } from "../middleware/auth.js";
import { handleCashfreeWebhook } from "../payments/cashfree-webhook.js";
import { deriveSigningKey, keySet } from "../payments/confirmation-signer.js";
import { handleRazorpayWebhook, MAX_WEBHOOK_BYTES } from "../payments/razorpay-webhook.js";

const CreatePaymentBody = z.object({ storyId: StoryIdSchema });

/** Payments: create a QR for a premium story, read its status, PSP webhooks, public keys. */
export const payments = new Hono<AppEnv>()
  .post("/v1/sessions/:id/payments", async (c) => {
    const kioskId = await authenticateKiosk(c.env.DB, c.req.header("authorization"));
    const sessionId = SessionIdSchema.safeParse(c.req.param("id"));
    const owner = sessionId.success
      ? await c.env.DB.prepare("SELECT kiosk_id FROM sessions WHERE id = ?")
          .bind(sessionId.data)
          .first<{ kiosk_id: string }>()
      : null;
    if (!sessionId.success || owner === null || owner.kiosk_id !== kioskId)
      throw new ApiError(404, "session_not_found", "no such session");
    const { storyId } = await readJsonBody(c, CreatePaymentBody);
    let story: Awaited<ReturnType<typeof loadCatalog>>["stories"][number] | undefined;
    try {
      story = (await loadCatalog(c.env.CONTENT)).stories.find((s) => s.id === storyId);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      throw new ApiError(503, "content_unavailable", "the story catalog is unavailable");
    }
    if (!story) throw new ApiError(404, "story_not_found", `no story "${storyId}"`);
    if (!story.premium) throw new ApiError(400, "invalid_request", "this story is free");
    const stub = c.env.KIOSK_SESSION.get(c.env.KIOSK_SESSION.idFromName(sessionId.data));
    const result = await stub.createPayment({ storyId, amountPaise: story.pricePaise, description: story.title.en });
    if (!result.ok) throw new ApiError(result.status, result.code, result.message);
    return c.json(result.payment, 201);
  })
  .get("/v1/sessions/:id/payments/:paymentId", async (c) => {
    const kioskId = await authenticateKiosk(c.env.DB, c.req.header("authorization"));
    const row = await c.env.DB.prepare("SELECT session_id, kiosk_id FROM payments WHERE payment_id = ?")
      .bind(c.req.param("paymentId"))
      .first<{ session_id: string; kiosk_id: string }>();
    if (row === null || row.session_id !== c.req.param("id") || row.kiosk_id !== kioskId)
      throw new ApiError(404, "not_found", "no such payment");
    const status = await c.env.KIOSK_SESSION.get(c.env.KIOSK_SESSION.idFromName(row.session_id)).paymentStatus(
      c.req.param("paymentId"),
    );
    if (status === null) throw new ApiError(404, "not_found", "no such payment");
    return c.json(status);
  })
  .post("/webhooks/razorpay", async (c) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_WEBHOOK_BYTES) throw new ApiError(413, "payload_too_large", "webhook body too large");
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const outcome = await handleRazorpayWebhook(c.env, c.var.config, raw, c.req.raw.headers, c.var.log);
    return c.json(outcome.body, outcome.status);
  })
  .post("/webhooks/cashfree", async (c) => {
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_WEBHOOK_BYTES) throw new ApiError(413, "payload_too_large", "webhook body too large");
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const outcome = await handleCashfreeWebhook(c.env, c.var.config, raw, c.req.raw.headers, c.var.log);
    return c.json(outcome.body, outcome.status);
  })
  .get("/.well-known/katha-keys.json", async (c) => {
    const current = await deriveSigningKey(c.var.config.PAYMENT_SIGN_SECRET);
    const previous = c.var.config.PAYMENT_SIGN_SECRET_PREVIOUS
      ? [await deriveSigningKey(c.var.config.PAYMENT_SIGN_SECRET_PREVIOUS)]
      : [];
    c.header("Cache-Control", "public, max-age=300");
    return c.json(keySet(current, previous));
  });
