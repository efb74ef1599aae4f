import { z } from "zod";

/**
 * Signed payment confirmations. The edge signs with Ed25519 (keys derived from
 * PAYMENT_SIGN_SECRET); kiosks hold only public keys (`/.well-known/katha-keys.json`, each with a
 * `kid`) and unlock only after verifying. Rotation: sign with the new key while the old one stays
 * published, so kiosks need no change. Uses only WebCrypto (browsers, Node, workerd).
 */

export const ConfirmationSchema = z.object({
  v: z.literal(1),
  kid: z.string().min(1).max(64),
  paymentId: z.string().min(1).max(128),
  sessionId: z.string().min(1).max(64),
  storyId: z.string().min(1).max(64),
  amountPaise: z.number().int().positive(),
  currency: z.literal("INR"),
  paidAt: z.number().int().positive(),
});
export type Confirmation = z.infer<typeof ConfirmationSchema>;

export const PublicKeySchema = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().min(1).max(64),
  alg: z.literal("EdDSA"),
  use: z.literal("sig"),
});
export const KeySetSchema = z.object({ keys: z.array(PublicKeySchema) });
export type KeySet = z.infer<typeof KeySetSchema>;

const encoder = new TextEncoder();

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export type VerifyResult =
  | { ok: true; confirmation: Confirmation }
  | { ok: false; reason: "malformed" | "unknown_kid" | "bad_signature" };

/** Verifies a `<payload>.<signature>` confirmation against published keys. */
export async function verifyConfirmation(token: string, keySet: KeySet): Promise<VerifyResult> {
  const [payloadPart, signaturePart, extra] = token.split(".");
  if (!payloadPart || !signaturePart || extra !== undefined) return { ok: false, reason: "malformed" };
  const payloadBytes = fromBase64Url(payloadPart);
  const signature = fromBase64Url(signaturePart);
  if (!payloadBytes || !signature || signature.length !== 64) return { ok: false, reason: "malformed" };
  let parsed: ReturnType<typeof ConfirmationSchema.safeParse>;
  try {
    parsed = ConfirmationSchema.safeParse(JSON.parse(new TextDecoder().decode(payloadBytes)));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const jwk = keySet.keys.find((k) => k.kid === parsed.data.kid);
  if (!jwk) return { ok: false, reason: "unknown_kid" };
  const key = await crypto.subtle.importKey("jwk", jwk, { name: "Ed25519" }, false, ["verify"]);
  const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, encoder.encode(payloadPart));
  return valid ? { ok: true, confirmation: parsed.data } : { ok: false, reason: "bad_signature" };
}
