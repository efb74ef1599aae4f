import { describe, expect, it } from "vitest";
import { verifyConfirmation } from "../../protocol/confirmation.js";
import { deriveSigningKey, keySet, signConfirmation } from "../../workers/payments/confirmation-signer.js";
import { overrideCode } from "../../workers/payments/override-code.js";

describe("payment crypto in workerd", () => {
  it("derives, signs and verifies Ed25519 confirmations exactly as Node does", async () => {
    const key = await deriveSigningKey("sign-secret-one");
    const token = await signConfirmation(key, {
      paymentId: "pay_1",
      sessionId: "s-1",
      storyId: "premium-tale",
      amountPaise: 4900,
      currency: "INR",
      paidAt: 1,
    });
    expect((await verifyConfirmation(token, keySet(key))).ok).toBe(true);
    // Same secret → same key id on every runtime (the kiosk's browser verifies with the same JWK).
    expect(key.kid).toBe("a3zwGIpVwqtiKUD_");
  });

  it("computes HOTP override codes", async () => {
    expect(await overrideCode("override-secret-xyz", "ksk_a", Date.UTC(2026, 11, 3, 12))).toMatch(/^\d{6}$/);
  });
});
