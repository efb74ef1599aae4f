/**
 * Reconciliation: the PSP's payments for a day against Katha's ledger and payments. Pure: the
 * inputs are rows already fetched; the output is the report ops read (JSON) or export (CSV).
 */
export interface PspPayment {
  pspPaymentId: string;
  amountPaise: number;
  currency: string;
  status: string;
  createdAt: number;
}

export interface LedgerPayment {
  paymentId: string;
  storyId: string;
  sessionId: string;
  kioskId: string;
  amountPaise: number;
  status: string;
  pspPaymentId: string | null;
  refundReason: string | null;
  paidAt: number | null;
}

export interface LedgerEvent {
  pspPaymentId: string;
  paymentId: string | null;
  amountPaise: number | null;
}

export interface OverrideRow {
  kioskId: string;
  sessionId: string;
  storyId: string | null;
  staff: string | null;
  result: string;
  createdAt: number;
}

export type Finding =
  | { kind: "matched"; pspPaymentId: string; paymentId: string; amountPaise: number }
  | { kind: "missing_in_ledger"; pspPaymentId: string; amountPaise: number; pspStatus: string }
  | { kind: "missing_at_psp"; paymentId: string; pspPaymentId: string | null; amountPaise: number }
  | {
      kind: "amount_mismatch";
      pspPaymentId: string;
      paymentId: string | null;
      pspAmountPaise: number;
      ledgerAmountPaise: number;
    }
  | { kind: "late_credit"; pspPaymentId: string; paymentId: string; amountPaise: number }
  | { kind: "captured_not_unlocked"; pspPaymentId: string; paymentId: string; amountPaise: number; status: string }
  | { kind: "refund_flagged"; paymentId: string; pspPaymentId: string | null; reason: string };

export interface ReconciliationReport {
  day: string;
  findings: Finding[];
  overrides: OverrideRow[];
  summary: Record<Finding["kind"] | "overrides", number>;
}

/** Compares captured PSP payments with the ledger; every discrepancy becomes a finding. */
export function reconcile(
  day: string,
  psp: PspPayment[],
  payments: LedgerPayment[],
  events: LedgerEvent[],
  overrides: OverrideRow[],
  window: { from: number; to: number } = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
): ReconciliationReport {
  const findings: Finding[] = [];
  const captured = psp.filter((p) => p.status === "captured" || p.status === "SUCCESS");
  const eventsByPsp = new Map(events.map((e) => [e.pspPaymentId, e]));
  const paymentsById = new Map(payments.map((p) => [p.paymentId, p]));
  const seenPsp = new Set<string>();
  for (const p of captured) {
    seenPsp.add(p.pspPaymentId);
    const event = eventsByPsp.get(p.pspPaymentId);
    const payment = event?.paymentId
      ? paymentsById.get(event.paymentId)
      : payments.find((x) => x.pspPaymentId === p.pspPaymentId);
    if (!payment) {
      findings.push({
        kind: "missing_in_ledger",
        pspPaymentId: p.pspPaymentId,
        amountPaise: p.amountPaise,
        pspStatus: p.status,
      });
      continue;
    }
    if (payment.amountPaise !== p.amountPaise) {
      findings.push({
        kind: "amount_mismatch",
        pspPaymentId: p.pspPaymentId,
        paymentId: payment.paymentId,
        pspAmountPaise: p.amountPaise,
        ledgerAmountPaise: payment.amountPaise,
      });
      continue;
    }
    if (payment.status === "late_credit") {
      findings.push({
        kind: "late_credit",
        pspPaymentId: p.pspPaymentId,
        paymentId: payment.paymentId,
        amountPaise: p.amountPaise,
      });
      continue;
    }
    // Matched only when this capture is the one that paid the order; any other capture took money
    // without unlocking anything (expired, still pending, or a second payment of a paid order).
    if (payment.status === "paid" && payment.pspPaymentId === p.pspPaymentId) {
      findings.push({
        kind: "matched",
        pspPaymentId: p.pspPaymentId,
        paymentId: payment.paymentId,
        amountPaise: p.amountPaise,
      });
      continue;
    }
    findings.push({
      kind: "captured_not_unlocked",
      pspPaymentId: p.pspPaymentId,
      paymentId: payment.paymentId,
      amountPaise: p.amountPaise,
      status: payment.status,
    });
  }
  for (const payment of payments) {
    const paidInWindow = payment.paidAt !== null && payment.paidAt >= window.from && payment.paidAt < window.to;
    if (
      payment.status === "paid" &&
      paidInWindow &&
      (payment.pspPaymentId === null || !seenPsp.has(payment.pspPaymentId))
    )
      findings.push({
        kind: "missing_at_psp",
        paymentId: payment.paymentId,
        pspPaymentId: payment.pspPaymentId,
        amountPaise: payment.amountPaise,
      });
    if (payment.refundReason !== null)
      findings.push({
        kind: "refund_flagged",
        paymentId: payment.paymentId,
        pspPaymentId: payment.pspPaymentId,
        reason: payment.refundReason,
      });
  }
  const summary = {
    matched: 0,
    missing_in_ledger: 0,
    missing_at_psp: 0,
    amount_mismatch: 0,
    late_credit: 0,
    captured_not_unlocked: 0,
    refund_flagged: 0,
    overrides: overrides.length,
  };
  for (const f of findings) summary[f.kind]++;
  return { day, findings, overrides, summary };
}

const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? "" : String(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One CSV: a row per finding and per override attempt (the seed's spreadsheet, kept as data). */
export function reportCsv(report: ReconciliationReport): string {
  const header = [
    "day",
    "kind",
    "psp_payment_id",
    "payment_id",
    "amount_paise",
    "detail",
    "kiosk_id",
    "session_id",
    "story_id",
    "staff",
    "at",
  ];
  const rows: unknown[][] = report.findings.map((f) => [
    report.day,
    f.kind,
    "pspPaymentId" in f ? f.pspPaymentId : "",
    "paymentId" in f ? f.paymentId : "",
    "amountPaise" in f ? f.amountPaise : "pspAmountPaise" in f ? f.pspAmountPaise : "",
    f.kind === "amount_mismatch"
      ? `ledger ${f.ledgerAmountPaise}`
      : f.kind === "refund_flagged"
        ? f.reason
        : f.kind === "missing_in_ledger"
          ? f.pspStatus
          : "",
    "",
    "",
    "",
    "",
    "",
  ]);
  for (const o of report.overrides)
    rows.push([
      report.day,
      `override_${o.result}`,
      "",
      "",
      "",
      "",
      o.kioskId,
      o.sessionId,
      o.storyId,
      o.staff,
      new Date(o.createdAt).toISOString(),
    ]);
  return `${[header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n")}\n`;
}

/** The [start, end) epoch-ms range of a calendar day in India Standard Time. */
export function istDayRange(day: string): { from: number; to: number } {
  const start = Date.parse(`${day}T00:00:00+05:30`);
  return { from: start, to: start + 86_400_000 };
}
