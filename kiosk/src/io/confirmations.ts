/**
 * A payment unlocks a story only after its Ed25519 confirmation verifies against the edge's published
 * keys and names this session, story and payment. Keys are fetched once and re-fetched when a
 * confirmation carries an unknown `kid` (the edge rotated). Failures log `Invalid signature`, the
 * words the runbook's "Payment Not Working" diagnosis looks for.
 */
import { type KeySet, KeySetSchema, verifyConfirmation } from "../../../protocol/confirmation.js";
import { log } from "./log.js";

export type ConfirmationCheck = { ok: true } | { ok: false; reason: string };

export class ConfirmationVerifier {
  private keys: Promise<KeySet> | null = null;

  constructor(private readonly baseUrl: string) {}

  /** Fetch the key set again on the next check (a visitor retrying a confirmation that failed). */
  forgetKeys(): void {
    this.keys = null;
  }

  private fetchKeys(): Promise<KeySet> {
    const pending = fetch(new URL("/.well-known/katha-keys.json", this.baseUrl), {
      cache: "no-store",
      signal: AbortSignal.timeout(10_000),
    })
      .then((response) => {
        if (!response.ok) throw new Error(`keys: HTTP ${response.status}`);
        return response.json();
      })
      .then((body) => KeySetSchema.parse(body));
    pending.catch(() => {
      if (this.keys === pending) this.keys = null;
    });
    this.keys = pending;
    return pending;
  }

  async check(
    token: string,
    expected: { sessionId: string | null; storyId: string; paymentId: string },
  ): Promise<ConfirmationCheck> {
    let result: Awaited<ReturnType<typeof verifyConfirmation>>;
    try {
      result = await verifyConfirmation(token, await (this.keys ?? this.fetchKeys()));
      if (!result.ok && result.reason === "unknown_kid")
        result = await verifyConfirmation(token, await this.fetchKeys());
    } catch (err) {
      log.error("payment confirmation could not be checked: keys unavailable", { error: String(err) });
      return { ok: false, reason: "keys_unavailable" };
    }
    if (!result.ok) {
      log.error(`Invalid signature on payment confirmation (${result.reason})`, { paymentId: expected.paymentId });
      return { ok: false, reason: result.reason };
    }
    const c = result.confirmation;
    if (c.paymentId !== expected.paymentId || c.storyId !== expected.storyId || c.sessionId !== expected.sessionId) {
      log.error("Invalid signature: confirmation is for another payment, story or session", {
        paymentId: expected.paymentId,
      });
      return { ok: false, reason: "mismatch" };
    }
    return { ok: true };
  }
}
