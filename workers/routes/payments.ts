import { type Context, Hono } from "hono";
import { z } from "zod";
import { StoryIdSchema } from "../../protocol/ids.js";
import type { AppEnv } from "../app-env.js";
import { ApiError } from "../lib/api-error.js";
import { ContentError, loadCatalog } from "../lib/content-store.js";
import { readJsonBody } from "../lib/json-body.js";
import { authenticateKiosk, requireOwnedSession } from "../middleware/auth.js";
import { handleCashfreeWebhook } from "../payments/cashfree-webhook.js";
import { deriveSigningKey, keySet } from "../payments/confirmation-signer.js";
import { handleRazorpayWebhook, MAX_WEBHOOK_BYTES } from "../payments/razorpay-webhook.js";

const CreatePaymentBody = z.object({ storyId: StoryIdSchema });

/** A PSP webhook route: size cap before reading, then the provider's handler on the raw bytes. */
async function webhook(c: Context<AppEnv>, handle: typeof handleRazorpayWebhook): Promise<Response> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BYTES) throw new ApiError(413, "payload_too_large", "webhook body too large");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const outcome = await handle(c.env, c.var.config, raw, c.req.raw.headers, c.var.log);
  return c.json(outcome.body, outcome.status);
}

/** Payments: create a QR for a premium story, read its status, PSP webhooks, public keys. */
export const payments = new Hono<AppEnv>()
  .post("/v1/sessions/:id/payments", async (c) => {
    const { sessionId } = await requireOwnedSession(c.env.DB, c.req.header("authorization"), c.req.param("id"));
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
    const stub = c.env.KIOSK_SESSION.get(c.env.KIOSK_SESSION.idFromName(sessionId));
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
  .post("/webhooks/razorpay", (c) => webhook(c, handleRazorpayWebhook))
  .post("/webhooks/cashfree", (c) => webhook(c, handleCashfreeWebhook))
  .get("/.well-known/katha-keys.json", async (c) => {
    const current = await deriveSigningKey(c.var.config.PAYMENT_SIGN_SECRET);
    const previous = c.var.config.PAYMENT_SIGN_SECRET_PREVIOUS
      ? [await deriveSigningKey(c.var.config.PAYMENT_SIGN_SECRET_PREVIOUS)]
      : [];
    c.header("Cache-Control", "public, max-age=300");
    return c.json(keySet(current, previous));
  });
