import { describe, expect, it } from "vitest";
import { istDayRange, type LedgerPayment, reconcile, reportCsv } from "../../workers/payments/reconcile.js";

const payment = (id: string, fields: Partial<LedgerPayment> = {}): LedgerPayment => ({
  paymentId: id,
  storyId: "konark",
  sessionId: "s",
  kioskId: "ksk_a",
  amountPaise: 4900,
  status: "paid",
  pspPaymentId: `pay_${id}`,
  refundReason: null,
  paidAt: 5,
  ...fields,
});

describe("reconciliation", () => {
  it("matches, and finds what is missing on either side, mismatched, late or flagged", () => {
    const report = reconcile(
      "2026-12-02",
      [
        { pspPaymentId: "pay_1", amountPaise: 4900, currency: "INR", status: "captured", createdAt: 1 },
        { pspPaymentId: "pay_ghost", amountPaise: 4900, currency: "INR", status: "captured", createdAt: 2 },
        { pspPaymentId: "pay_3", amountPaise: 100, currency: "INR", status: "captured", createdAt: 3 },
        { pspPaymentId: "pay_4", amountPaise: 4900, currency: "INR", status: "captured", createdAt: 4 },
        { pspPaymentId: "pay_failed", amountPaise: 4900, currency: "INR", status: "failed", createdAt: 5 },
      ],
      [
        payment("1"),
        payment("2"), // paid here, never seen at the PSP
        payment("3", { status: "pending", pspPaymentId: null, refundReason: "amount_mismatch" }),
        payment("4", { status: "late_credit", pspPaymentId: null, refundReason: "late_credit" }),
      ],
      [
        { pspPaymentId: "pay_1", paymentId: "1", amountPaise: 4900 },
        { pspPaymentId: "pay_3", paymentId: "3", amountPaise: 100 },
        { pspPaymentId: "pay_4", paymentId: "4", amountPaise: 4900 },
      ],
      [{ kioskId: "ksk_a", sessionId: "s", storyId: "konark", staff: "Asha", result: "unlocked", createdAt: 10 }],
    );
    expect(report.summary).toEqual({
      matched: 1,
      missing_in_ledger: 1,
      missing_at_psp: 1,
      amount_mismatch: 1,
      late_credit: 1,
      captured_not_unlocked: 0,
      refund_flagged: 2,
      overrides: 1,
    });
    expect(report.findings.find((f) => f.kind === "missing_in_ledger")).toMatchObject({ pspPaymentId: "pay_ghost" });
    expect(report.findings.find((f) => f.kind === "missing_at_psp")).toMatchObject({ paymentId: "2" });
    const csv = reportCsv(report);
    expect(csv.split("\n")[0]).toBe(
      "day,kind,psp_payment_id,payment_id,amount_paise,detail,kiosk_id,session_id,story_id,staff,at",
    );
    expect(csv).toContain("2026-12-02,amount_mismatch,pay_3,3,100,ledger 4900");
    expect(csv).toContain("override_unlocked,,,,,ksk_a,s,konark,Asha");
  });

  it("counts a capture on an expired order, or a second capture on a paid one, as money taken without an unlock", () => {
    const report = reconcile(
      "d",
      [
        { pspPaymentId: "pay_a", amountPaise: 4900, currency: "INR", status: "captured", createdAt: 1 },
        { pspPaymentId: "pay_b2", amountPaise: 4900, currency: "INR", status: "captured", createdAt: 2 },
      ],
      [payment("a", { status: "expired", pspPaymentId: null }), payment("b", { pspPaymentId: "pay_b1" })],
      [
        { pspPaymentId: "pay_a", paymentId: "a", amountPaise: 4900 },
        { pspPaymentId: "pay_b2", paymentId: "b", amountPaise: 4900 },
      ],
      [],
      { from: 0, to: 10 },
    );
    expect(
      report.findings
        .filter((f) => f.kind === "captured_not_unlocked")
        .map((f) => ("pspPaymentId" in f ? f.pspPaymentId : "")),
    ).toEqual(["pay_a", "pay_b2"]);
    expect(report.summary.matched).toBe(0);
  });

  it("only reports paid orders missing at the PSP when they were paid within the day", () => {
    const outside = reconcile("d", [], [payment("x", { paidAt: 50 })], [], [], { from: 0, to: 10 });
    expect(outside.summary.missing_at_psp).toBe(0);
    const inside = reconcile("d", [], [payment("x", { paidAt: 5 })], [], [], { from: 0, to: 10 });
    expect(inside.summary.missing_at_psp).toBe(1);
  });

  it("uses India Standard Time days", () => {
    const { from, to } = istDayRange("2026-12-03");
    expect(new Date(from).toISOString()).toBe("2026-12-02T18:30:00.000Z");
    expect(to - from).toBe(86_400_000);
  });
});
