import type { KioskSession } from "../durable-objects/kiosk-session/kiosk-session.js";

/**
 * Bindings and variables of the Worker (wrangler.toml `[vars]`, bindings, and secrets from
 * `.dev.vars` / `wrangler secret put`). Values are raw strings here; `configFor(env)` validates.
 */
export interface Env {
  KIOSK_SESSION: DurableObjectNamespace<KioskSession>;
  CONTENT: R2Bucket;
  DB: D1Database;
  ADMIN_TOKEN?: string;
  LIVEKIT_API_KEY?: string;
  LIVEKIT_API_SECRET?: string;
  LIVEKIT_URL?: string;
  PSP_PROVIDER?: string;
  WEBHOOK_SECRET?: string;
  PAYMENT_SIGN_SECRET?: string;
  PAYMENT_SIGN_SECRET_PREVIOUS?: string;
  WEBHOOK_SECRET_PREVIOUS?: string;
  PAYMENT_TTL_MS?: string;
  OVERRIDE_SECRET?: string;
  RAZORPAY_KEY_ID?: string;
  RAZORPAY_KEY_SECRET?: string;
  CASHFREE_APP_ID?: string;
  CASHFREE_SECRET_KEY?: string;
  CASHFREE_API_BASE?: string;
  PRELOAD_LEAD_MS?: string;
  STORY_START_DELAY_MS?: string;
  SESSION_IDLE_TIMEOUT_MS?: string;
  SESSION_MAX_AGE_MS?: string;
  LOG_LEVEL?: string;
}
