import { describe, expect, it } from "vitest";
import {
  applyPaymentEvent,
  newPayment,
  type PaymentEvent,
  type PaymentRecord,
} from "../../durable-objects/kiosk-session/payment-machine.js";

const base = newPayment({
  paymentId: "pmt_1",
  storyId: "sun-temple-of-konark",
  amountPaise: 4900,
  currency: "INR",
  createdAt: 1_000,
  expiresAt: 121_000,
});
const credit = (id: string, paidAt = 5_000, amountPaise = 4900, currency = "INR"): PaymentEvent => ({
  type: "credited",
  pspPaymentId: id,
  amountPaise,
  currency,
  paidAt,
});

function run(events: PaymentEvent[], start: PaymentRecord = base) {
  let record = start;
  const effects: string[] = [];
  for (const event of events) {
    const next = applyPaymentEvent(record, event);
    record = next.record;
    effects.push(
      ...next.effects.map((e) =>
        e.type === "flag_refund" ? `refund:${e.reason}` : e.type === "notify" ? `notify:${e.status}` : e.type,
      ),
    );
  }
  return { record, effects };
}

describe("payment state machine", () => {
  it("pays, unlocks and confirms exactly once on a credit of the right amount", () => {
    const { record, effects } = run([credit("pay_1")]);
    expect(record).toMatchObject({ status: "paid", pspPaymentId: "pay_1", paidAt: 5_000 });
    expect(effects).toEqual(["unlock", "confirm", "notify:paid"]);
  });

  it("gives a redelivered or replayed credit no second effect", () => {
    expect(run([credit("pay_1"), credit("pay_1"), credit("pay_1")]).effects).toEqual([
      "unlock",
      "confirm",
      "notify:paid",
    ]);
  });

  it("stays paid when a failure arrives after the capture (reordered webhooks)", () => {
    const { record, effects } = run([credit("pay_1"), { type: "failed", pspPaymentId: "pay_1", reason: "timeout" }]);
    expect(record.status).toBe("paid");
    expect(effects).toEqual(["unlock", "confirm", "notify:paid"]);
  });

  it("lets a late authorisation win over an earlier failure", () => {
    const { record, effects } = run([
      { type: "failed", pspPaymentId: "pay_1", reason: "bank timeout" },
      credit("pay_1"),
    ]);
    expect(record.status).toBe("paid");
    expect(effects).toEqual(["notify:failed", "unlock", "confirm", "notify:paid"]);
  });

  it("never unlocks on a wrong amount or currency, and flags it for refund", () => {
    for (const event of [credit("pay_9", 5_000, 100), credit("pay_9", 5_000, 4900, "USD")]) {
      const { record, effects } = run([event]);
      expect(record.status).toBe("pending");
      expect(effects).toEqual(["refund:amount_mismatch"]);
    }
  });

  it("expires at close_by and closes the QR; a credit paid after expiry is a late credit flagged for refund", () => {
    const { record, effects } = run([{ type: "expired", at: 121_000 }, credit("pay_2", 130_000)]);
    expect(record.status).toBe("late_credit");
    expect(effects).toEqual(["close_qr", "notify:expired", "refund:late_credit", "notify:late_credit"]);
  });

  it("honours a payment made before expiry whose webhook arrived after the expiry alarm", () => {
    const { record, effects } = run([{ type: "expired", at: 121_000 }, credit("pay_3", 120_500)]);
    expect(record.status).toBe("paid");
    expect(effects).toEqual(["close_qr", "notify:expired", "unlock", "confirm", "notify:paid"]);
  });

  it("flags a second, different payment for the same order as a duplicate payment", () => {
    const { record, effects } = run([credit("pay_1"), credit("pay_2")]);
    expect(record).toMatchObject({ status: "paid", pspPaymentId: "pay_1", seenPspPayments: ["pay_1", "pay_2"] });
    expect(effects.slice(-1)).toEqual(["refund:duplicate_payment"]);
  });

  it("ignores expiry and closing once paid", () => {
    expect(
      run([credit("pay_1"), { type: "expired", at: 200_000 }, { type: "closed", at: 200_001 }]).record.status,
    ).toBe("paid");
  });
});
