import type { PaymentEffect, PaymentRecord } from "./payment-machine.js";

/** One payment as the session stores it (SQLite `payments`), with what the kiosk was shown. */
export interface StoredPayment {
  provider: string;
  providerRef: string;
  upiUri: string;
  record: PaymentRecord;
  confirmation: string | null;
}

/** SQLite access for a session's payments; pure storage, no effects. */
export class PaymentStore {
  constructor(private readonly sql: SqlStorage) {}

  get(paymentId: string): StoredPayment | null {
    const row = this.sql
      .exec<{ provider: string; provider_ref: string; upi_uri: string; record: string; confirmation: string | null }>(
        "SELECT provider, provider_ref, upi_uri, record, confirmation FROM payments WHERE payment_id = ?",
        paymentId,
      )
      .toArray()[0];
    if (!row) return null;
    // SAFETY: records are written only by save() from typed PaymentRecords.
    const record = JSON.parse(row.record) as PaymentRecord;
    return {
      provider: row.provider,
      providerRef: row.provider_ref,
      upiUri: row.upi_uri,
      record,
      confirmation: row.confirmation,
    };
  }

  /** The open (pending or failed) payment for a story, if any: a second request reuses it. */
  openForStory(storyId: string): string | null {
    const row = this.sql
      .exec<{ payment_id: string }>(
        "SELECT payment_id FROM payments WHERE story_id = ? AND status IN ('pending', 'failed') LIMIT 1",
        storyId,
      )
      .toArray()[0];
    return row?.payment_id ?? null;
  }

  insert(payment: StoredPayment, firstPollAt: number): void {
    this.sql.exec(
      "INSERT INTO payments (payment_id, provider, provider_ref, story_id, status, expires_at, record, upi_uri, next_poll_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      payment.record.paymentId,
      payment.provider,
      payment.providerRef,
      payment.record.storyId,
      payment.record.status,
      payment.record.expiresAt,
      JSON.stringify(payment.record),
      payment.upiUri,
      firstPollAt,
    );
  }

  /** Open payments whose PSP should be asked now (the webhook may be late or lost). */
  dueForPoll(now: number): string[] {
    return this.sql
      .exec<{ payment_id: string }>(
        "SELECT payment_id FROM payments WHERE status IN ('pending', 'failed') AND next_poll_at IS NOT NULL AND next_poll_at <= ?",
        now,
      )
      .toArray()
      .map((r) => r.payment_id);
  }

  setNextPoll(paymentId: string, at: number | null): void {
    this.sql.exec("UPDATE payments SET next_poll_at = ? WHERE payment_id = ?", at, paymentId);
  }

  nextPoll(): number | null {
    return (
      this.sql
        .exec<{ next: number | null }>(
          "SELECT MIN(next_poll_at) AS next FROM payments WHERE status IN ('pending', 'failed') AND next_poll_at IS NOT NULL",
        )
        .toArray()[0]?.next ?? null
    );
  }

  /** Saves a transition and queues its effects in the same write (carried out by the session). */
  save(record: PaymentRecord, effects: PaymentEffect[] = []): void {
    const queued = [...this.pendingEffects(record.paymentId), ...effects];
    this.sql.exec(
      "UPDATE payments SET status = ?, record = ?, effects_pending = ? WHERE payment_id = ?",
      record.status,
      JSON.stringify(record),
      queued.length > 0 ? JSON.stringify(queued) : null,
      record.paymentId,
    );
  }

  pendingEffects(paymentId: string): PaymentEffect[] {
    const row = this.sql
      .exec<{ effects_pending: string | null }>("SELECT effects_pending FROM payments WHERE payment_id = ?", paymentId)
      .toArray()[0];
    // SAFETY: written only by save() from typed PaymentEffects.
    return row?.effects_pending ? (JSON.parse(row.effects_pending) as PaymentEffect[]) : [];
  }

  /** Drops the first queued effect once it has been carried out. */
  completeFirstEffect(paymentId: string): void {
    const rest = this.pendingEffects(paymentId).slice(1);
    this.sql.exec(
      "UPDATE payments SET effects_pending = ? WHERE payment_id = ?",
      rest.length > 0 ? JSON.stringify(rest) : null,
      paymentId,
    );
  }

  withPendingEffects(): string[] {
    return this.sql
      .exec<{ payment_id: string }>("SELECT payment_id FROM payments WHERE effects_pending IS NOT NULL")
      .toArray()
      .map((r) => r.payment_id);
  }

  setConfirmation(paymentId: string, confirmation: string): void {
    this.sql.exec("UPDATE payments SET confirmation = ? WHERE payment_id = ?", confirmation, paymentId);
  }

  /** Payments still open whose QR expired by `now`. */
  dueForExpiry(now: number): string[] {
    return this.sql
      .exec<{ payment_id: string }>(
        "SELECT payment_id FROM payments WHERE status IN ('pending', 'failed') AND expires_at <= ?",
        now,
      )
      .toArray()
      .map((r) => r.payment_id);
  }

  /** The earliest expiry among open payments (for the session's alarm). */
  nextExpiry(): number | null {
    return (
      this.sql
        .exec<{ next: number | null }>(
          "SELECT MIN(expires_at) AS next FROM payments WHERE status IN ('pending', 'failed')",
        )
        .toArray()[0]?.next ?? null
    );
  }
}
