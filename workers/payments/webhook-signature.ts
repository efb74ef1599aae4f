/**
 * PSP webhook signatures, verified over the raw body bytes (never a re-serialised body: Razorpay's
 * QR payloads carry `\/` escapes and Cashfree's amounts `170.00`, which a parse loses) with
 * WebCrypto's HMAC verify, which compares in constant time.
 */
const encoder = new TextEncoder();

async function hmacVerify(secret: string, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify("HMAC", key, signature, data);
}

async function hmacSign(secret: string, data: Uint8Array): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** The `X-Razorpay-Signature` Razorpay would send for these raw bytes (the simulator and tests sign with it). */
export async function signRazorpayBody(rawBody: Uint8Array, secret: string): Promise<string> {
  return [...(await hmacSign(secret, rawBody))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `x-webhook-signature` Cashfree would send for this timestamp and raw body. */
export async function signCashfreeBody(rawBody: Uint8Array, timestamp: string, secret: string): Promise<string> {
  const signed = new Uint8Array([...encoder.encode(timestamp), ...rawBody]);
  return btoa(String.fromCharCode(...(await hmacSign(secret, signed))));
}

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

function base64ToBytes(b64: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(b64)) return null;
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: "missing" | "malformed" | "mismatch" | "stale" };

/**
 * Razorpay: `X-Razorpay-Signature` = hex HMAC-SHA256(raw body, webhook secret). Several secrets are
 * accepted so retries signed before a rotation still verify.
 */
export async function verifyRazorpaySignature(
  rawBody: Uint8Array,
  signatureHeader: string | null | undefined,
  secrets: readonly string[],
): Promise<SignatureVerdict> {
  if (!signatureHeader) return { ok: false, reason: "missing" };
  const signature = hexToBytes(signatureHeader.trim());
  if (signature === null) return { ok: false, reason: "malformed" };
  for (const secret of secrets) if (await hmacVerify(secret, rawBody, signature)) return { ok: true };
  return { ok: false, reason: "mismatch" };
}

/** How far a Cashfree webhook timestamp may be from now (Cashfree documents none; Stripe uses 5 min). */
export const CASHFREE_TOLERANCE_MS = 5 * 60_000;

/**
 * Cashfree: `x-webhook-signature` = base64 HMAC-SHA256(timestamp + raw body, client secret), with
 * `x-webhook-timestamp` in milliseconds; stale timestamps are refused (replay protection).
 */
export async function verifyCashfreeSignature(
  rawBody: Uint8Array,
  signatureHeader: string | null | undefined,
  timestampHeader: string | null | undefined,
  secret: string,
  nowMs: number,
  toleranceMs = CASHFREE_TOLERANCE_MS,
): Promise<SignatureVerdict> {
  if (!signatureHeader || !timestampHeader) return { ok: false, reason: "missing" };
  const signature = base64ToBytes(signatureHeader.trim());
  if (signature === null || !/^\d{10,16}$/.test(timestampHeader)) return { ok: false, reason: "malformed" };
  const signed = new Uint8Array([...encoder.encode(timestampHeader), ...rawBody]);
  if (!(await hmacVerify(secret, signed, signature))) return { ok: false, reason: "mismatch" };
  if (Math.abs(nowMs - Number(timestampHeader)) > toleranceMs) return { ok: false, reason: "stale" };
  return { ok: true };
}
