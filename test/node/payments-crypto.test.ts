import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyConfirmation } from "../../protocol/confirmation.js";
import { deriveSigningKey, keySet, signConfirmation } from "../../workers/payments/confirmation-signer.js";
import { checkOverrideCode, hotp, overrideCode, overrideDay } from "../../workers/payments/override-code.js";
import { verifyCashfreeSignature, verifyRazorpaySignature } from "../../workers/payments/webhook-signature.js";

const enc = new TextEncoder();

describe("Razorpay webhook signature", () => {
  // A raw QR webhook body as Razorpay sends it: PHP-style escaped slashes.
  const raw =
    '{"entity":"event","event":"qr_code.credited","payload":{"qr_code":{"entity":{"id":"qr_1","image_url":"https:\\/\\/rzp.io\\/i\\/x"}}}}';
  const secret = "whsec-current-0123456789";
  const sign = (body: string, key = secret) => createHmac("sha256", key).update(body).digest("hex");

  it("accepts the hex HMAC of the raw body", async () => {
    expect(await verifyRazorpaySignature(enc.encode(raw), sign(raw), [secret])).toEqual({ ok: true });
  });

  it("refuses a body that was parsed and re-serialised (the \\/ escapes are gone)", async () => {
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(reserialised).not.toBe(raw);
    expect(await verifyRazorpaySignature(enc.encode(reserialised), sign(raw), [secret])).toEqual({
      ok: false,
      reason: "mismatch",
    });
  });

  it("refuses tampered, missing and malformed signatures", async () => {
    expect(await verifyRazorpaySignature(enc.encode(raw.replace("qr_1", "qr_2")), sign(raw), [secret])).toMatchObject({
      reason: "mismatch",
    });
    expect(await verifyRazorpaySignature(enc.encode(raw), undefined, [secret])).toMatchObject({ reason: "missing" });
    expect(await verifyRazorpaySignature(enc.encode(raw), "zz", [secret])).toMatchObject({ reason: "malformed" });
    expect(await verifyRazorpaySignature(enc.encode(raw), sign(raw, "other-secret"), [secret])).toMatchObject({
      reason: "mismatch",
    });
  });

  it("still verifies retries signed with the previous secret during a rotation", async () => {
    expect(await verifyRazorpaySignature(enc.encode(raw), sign(raw, "old-secret"), [secret, "old-secret"])).toEqual({
      ok: true,
    });
  });
});

describe("Cashfree webhook signature", () => {
  const raw = '{"type":"PAYMENT_SUCCESS_WEBHOOK","data":{"order":{"order_amount":170.00}}}';
  const secret = "cfsk_ma_test_secret";
  const now = 1_796_300_000_000;
  const sign = (ts: string, body = raw) =>
    createHmac("sha256", secret)
      .update(ts + body)
      .digest("base64");

  it("accepts base64 HMAC of timestamp + raw body within the tolerance", async () => {
    const ts = String(now - 30_000);
    expect(await verifyCashfreeSignature(enc.encode(raw), sign(ts), ts, secret, now)).toEqual({ ok: true });
  });

  it("refuses stale timestamps, a changed amount and missing headers", async () => {
    const old = String(now - 10 * 60_000);
    expect(await verifyCashfreeSignature(enc.encode(raw), sign(old), old, secret, now)).toMatchObject({
      reason: "stale",
    });
    const ts = String(now);
    const changed = raw.replace("170.00", "170");
    expect(await verifyCashfreeSignature(enc.encode(changed), sign(ts), ts, secret, now)).toMatchObject({
      reason: "mismatch",
    });
    expect(await verifyCashfreeSignature(enc.encode(raw), null, ts, secret, now)).toMatchObject({ reason: "missing" });
    expect(await verifyCashfreeSignature(enc.encode(raw), sign(ts), "yesterday", secret, now)).toMatchObject({
      reason: "malformed",
    });
  });
});

describe("staff override codes (HOTP)", () => {
  it("matches the RFC 4226 test vectors", async () => {
    const key = new Uint8Array(enc.encode("12345678901234567890"));
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    for (const [counter, code] of expected.entries()) expect(await hotp(key, counter)).toBe(code);
  });

  it("changes at midnight India time and differs per kiosk", async () => {
    const beforeMidnightIst = Date.UTC(2026, 11, 3, 18, 29, 0); // 23:59 IST
    const afterMidnightIst = Date.UTC(2026, 11, 3, 18, 31, 0); // 00:01 IST next day
    expect(overrideDay(afterMidnightIst)).toBe(overrideDay(beforeMidnightIst) + 1);
    const a = await overrideCode("override-secret-xyz", "ksk_a", beforeMidnightIst);
    expect(a).toMatch(/^\d{6}$/);
    expect(await overrideCode("override-secret-xyz", "ksk_a", afterMidnightIst)).not.toBe(a);
    expect(await overrideCode("override-secret-xyz", "ksk_b", beforeMidnightIst)).not.toBe(a);
    expect(await checkOverrideCode("override-secret-xyz", "ksk_a", a, beforeMidnightIst)).toBe(true);
    expect(await checkOverrideCode("override-secret-xyz", "ksk_a", a, afterMidnightIst)).toBe(false);
    expect(await checkOverrideCode("override-secret-xyz", "ksk_a", "12345", beforeMidnightIst)).toBe(false);
  });
});

describe("signed payment confirmations (Ed25519)", () => {
  const confirmation = {
    paymentId: "pay_1",
    sessionId: "s-1",
    storyId: "sun-temple-of-konark",
    amountPaise: 4900,
    currency: "INR" as const,
    paidAt: 1_796_300_000_000,
  };

  it("derives the same key from the same secret, and a kid-tagged public key", async () => {
    const a = await deriveSigningKey("sign-secret-one");
    const b = await deriveSigningKey("sign-secret-one");
    expect(a.kid).toBe(b.kid);
    expect(a.kid).toBe("a3zwGIpVwqtiKUD_"); // the same literal is asserted in workerd (test/edge/payments-crypto.test.ts)
    expect(a.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", kid: a.kid });
    expect((await deriveSigningKey("sign-secret-two")).kid).not.toBe(a.kid);
  });

  it("verifies with the published keys and refuses tampering", async () => {
    const key = await deriveSigningKey("sign-secret-one");
    const token = await signConfirmation(key, confirmation);
    const verified = await verifyConfirmation(token, keySet(key));
    expect(verified).toEqual({ ok: true, confirmation: { v: 1, kid: key.kid, ...confirmation } });
    const [payload, signature] = token.split(".");
    const forged = JSON.parse(atob((payload ?? "").replaceAll("-", "+").replaceAll("_", "/"))) as Record<
      string,
      unknown
    >;
    forged.storyId = "iron-pillar";
    const forgedPart = btoa(JSON.stringify(forged)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    expect(await verifyConfirmation(`${forgedPart}.${signature}`, keySet(key))).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await verifyConfirmation("garbage", keySet(key))).toEqual({ ok: false, reason: "malformed" });
  });

  it("rotates without touching kiosks: old confirmations verify while the old key is still published", async () => {
    const oldKey = await deriveSigningKey("sign-secret-january");
    const newKey = await deriveSigningKey("sign-secret-february");
    const oldToken = await signConfirmation(oldKey, confirmation);
    const newToken = await signConfirmation(newKey, confirmation);
    const overlap = keySet(newKey, [oldKey]);
    expect((await verifyConfirmation(oldToken, overlap)).ok).toBe(true);
    expect((await verifyConfirmation(newToken, overlap)).ok).toBe(true);
    expect(await verifyConfirmation(oldToken, keySet(newKey))).toEqual({ ok: false, reason: "unknown_kid" });
  });
});
