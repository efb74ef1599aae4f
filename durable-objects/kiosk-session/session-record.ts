import { z } from "zod";
import { KioskIdSchema, StoryIdSchema } from "../../protocol/ids.js";
import { RunSnapshotSchema, SessionEndReasonSchema, SessionStatusSchema } from "../../protocol/messages.js";

/** The session's persistent record (one row in DO storage), validated whenever it is loaded. */
export const SessionRecordSchema = z.object({
  sessionId: z.string(),
  kioskId: KioskIdSchema,
  tokenHash: z.string().length(64),
  publicBaseUrl: z.string().url(),
  createdAt: z.number(),
  expiresAt: z.number(),
  status: SessionStatusSchema,
  lastActivityAt: z.number(),
  endedAt: z.number().nullable(),
  endReason: SessionEndReasonSchema.nullable(),
  run: RunSnapshotSchema.nullable(),
  /** Premium stories unlocked for this session (by payment or staff override, later issues). */
  unlocked: z.array(StoryIdSchema),
  storiesPlayed: z.number().int().min(0),
});
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

/** Tunables the session rules need (from config). */
export interface SessionTimings {
  idleTimeoutMs: number;
  /** How long an ended session's record is kept for snapshots before it is purged. */
  retentionMs: number;
}

export const ENDED_RETENTION_MS = 24 * 60 * 60_000;

/** What the session must do when its alarm fires at `now`, before sending due timeline messages. */
export type DueTransition = { kind: "expire" } | { kind: "idle" } | { kind: "purge" } | null;

/** Instant after which an open (not playing) session counts as abandoned. */
export function idleDeadline(record: SessionRecord, timings: SessionTimings): number | null {
  if (record.status !== "open") return null;
  return record.lastActivityAt + timings.idleTimeoutMs;
}

export function dueTransition(record: SessionRecord, now: number, timings: SessionTimings): DueTransition {
  if (record.status === "ended") {
    return record.endedAt !== null && now >= record.endedAt + timings.retentionMs ? { kind: "purge" } : null;
  }
  if (now >= record.expiresAt) return { kind: "expire" };
  const idle = idleDeadline(record, timings);
  if (idle !== null && now >= idle) return { kind: "idle" };
  return null;
}

/** When the single DO alarm must next fire: the earliest of the timeline and the lifecycle. */
export function nextWakeAt(record: SessionRecord, nextSendAt: number | null, timings: SessionTimings): number | null {
  if (record.status === "ended") return record.endedAt === null ? null : record.endedAt + timings.retentionMs;
  const candidates = [record.expiresAt, idleDeadline(record, timings), nextSendAt].filter(
    (t): t is number => t !== null,
  );
  return Math.min(...candidates);
}

/** Whether this session may start `story` now. */
export function storyAccess(
  record: SessionRecord,
  story: { id: string; premium: boolean },
): { ok: true } | { ok: false; code: "story_locked" | "session_ended" } {
  if (record.status === "ended") return { ok: false, code: "session_ended" };
  if (story.premium && !record.unlocked.includes(story.id)) return { ok: false, code: "story_locked" };
  return { ok: true };
}

/** The record after the session ends for `reason` at `now`. */
export function endedRecord(record: SessionRecord, reason: SessionRecord["endReason"], now: number): SessionRecord {
  return { ...record, status: "ended", endReason: reason, endedAt: now, run: null };
}
