import { z } from "zod";
import { ErrorCodeSchema } from "./errors.js";
import { LangSchema, StoryIdSchema } from "./ids.js";
import { PROTOCOL_VERSION } from "./version.js";

/** Epoch milliseconds (server clock unless the field name says otherwise). */
const EpochMs = z.number().finite().min(0);
const RunId = z.string().min(1).max(64);

/** Fields every client message may carry: `id` is echoed as `ref` in the reply. */
const ClientBase = {
  v: z.literal(PROTOCOL_VERSION).optional(),
  id: z.string().min(1).max(64).optional(),
};

// ---------- kiosk → session ----------

/** NTP-style clock probe; `t0` is the kiosk's clock when sent. */
export const PingSchema = z.object({ ...ClientBase, type: z.literal("ping"), t0: z.number().finite() });
export const SelectStorySchema = z.object({
  ...ClientBase,
  type: z.literal("select_story"),
  storyId: StoryIdSchema,
  lang: LangSchema.default("en"),
});
/**
 * The instant the narration audio actually started on the kiosk, mapped to the server clock.
 * The session re-bases its remaining sends on it.
 */
export const PlaybackStartedSchema = z.object({
  ...ClientBase,
  type: z.literal("playback_started"),
  runId: RunId,
  started_at: EpochMs,
});
export const ImgShownSchema = z.object({
  ...ClientBase,
  type: z.literal("img_shown"),
  runId: RunId,
  cueId: z.string().min(1).max(64),
  shown_at: EpochMs,
  error_ms: z.number().finite().min(-600_000).max(600_000),
});
export const StopStorySchema = z.object({ ...ClientBase, type: z.literal("stop_story") });
export const EndSessionSchema = z.object({ ...ClientBase, type: z.literal("end_session") });

export const ClientMessageSchema = z.discriminatedUnion("type", [
  PingSchema,
  SelectStorySchema,
  PlaybackStartedSchema,
  ImgShownSchema,
  StopStorySchema,
  EndSessionSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export const CLIENT_MESSAGE_TYPES = ClientMessageSchema.options.map((o) => o.shape.type.value);

// ---------- session → kiosk ----------

const ServerBase = { v: z.literal(PROTOCOL_VERSION) };

export const SessionStatusSchema = z.enum(["open", "playing", "ended"]);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

export const RunSnapshotSchema = z.object({
  runId: RunId,
  storyId: StoryIdSchema,
  lang: LangSchema,
  startAt: EpochMs,
  durationMs: z.number().int().positive(),
  audioStartedAt: EpochMs.nullable(),
});
export type RunSnapshot = z.infer<typeof RunSnapshotSchema>;

export const SessionStateMessageSchema = z.object({
  ...ServerBase,
  type: z.literal("session_state"),
  sessionId: z.string(),
  status: SessionStatusSchema,
  run: RunSnapshotSchema.nullable(),
  unlocked: z.array(StoryIdSchema),
  expiresAt: EpochMs,
  serverTime: EpochMs,
});
export const PongSchema = z.object({
  ...ServerBase,
  type: z.literal("pong"),
  ref: z.string().optional(),
  t0: z.number().finite(),
  /** Server receive time. */
  t1: EpochMs,
  /** Server send time. */
  t2: EpochMs,
});
export const StoryStartSchema = z.object({
  ...ServerBase,
  type: z.literal("story_start"),
  ref: z.string().optional(),
  runId: RunId,
  storyId: StoryIdSchema,
  lang: LangSchema,
  audio: z.object({ url: z.string(), contentType: z.string(), durationMs: z.number().int().positive() }),
  /** Planned start of the narration audio (server epoch ms). `playout_ts` values are on this timeline. */
  startAt: EpochMs,
  durationMs: z.number().int().positive(),
  cueCount: z.number().int().min(0),
  /**
   * The whole cue plan (offsets into the audio), so a kiosk that loses its connection mid-story can
   * keep showing images and captions on time. Optional: runs started before it existed lack it.
   */
  cues: z.array(z.object({ cueId: z.string(), atMs: z.number().int().min(0), url: z.string() })).optional(),
  captions: z
    .array(z.object({ atMs: z.number().int().min(0), endMs: z.number().int().positive(), text: z.string() }))
    .optional(),
});
export const ImgPreloadSchema = z.object({
  ...ServerBase,
  type: z.literal("img_preload"),
  runId: RunId,
  cueId: z.string(),
  url: z.string(),
  /** startAt + the cue's offset into the audio (server epoch ms, planned timeline). */
  playout_ts: EpochMs,
});
export const CaptionMessageSchema = z.object({
  ...ServerBase,
  type: z.literal("caption"),
  runId: RunId,
  text: z.string(),
  playout_ts: EpochMs,
  end_ts: EpochMs,
});
export const StoryEndReasonSchema = z.enum(["finished", "stopped", "replaced", "session_ended"]);
export const StoryEndSchema = z.object({
  ...ServerBase,
  type: z.literal("story_end"),
  runId: RunId,
  storyId: StoryIdSchema,
  reason: StoryEndReasonSchema,
});
export const AckSchema = z.object({ ...ServerBase, type: z.literal("ack"), ref: z.string() });
export const ErrorMessageSchema = z.object({
  ...ServerBase,
  type: z.literal("error"),
  code: ErrorCodeSchema,
  message: z.string(),
  ref: z.string().optional(),
  storyId: StoryIdSchema.optional(),
});
export const UnlockSourceSchema = z.enum(["payment", "override"]);
export type UnlockSource = z.infer<typeof UnlockSourceSchema>;
/** A premium story became playable in this session (payment confirmed or staff override). */
export const StoryUnlockedSchema = z.object({
  ...ServerBase,
  type: z.literal("story_unlocked"),
  storyId: StoryIdSchema,
  source: UnlockSourceSchema,
});
export const PaymentStatusSchema = z.enum(["pending", "paid", "failed", "expired", "late_credit"]);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;
/** A QR to show: the kiosk renders `upiUri` locally. */
export const PaywallSchema = z.object({
  ...ServerBase,
  type: z.literal("paywall"),
  paymentId: z.string(),
  storyId: StoryIdSchema,
  amountPaise: z.number().int().positive(),
  currency: z.literal("INR"),
  upiUri: z.string(),
  expiresAt: EpochMs,
});
export const PaymentStatusMessageSchema = z.object({
  ...ServerBase,
  type: z.literal("payment_status"),
  paymentId: z.string(),
  storyId: StoryIdSchema,
  status: PaymentStatusSchema,
});
/** Paid: `confirmation` is Ed25519-signed (protocol/confirmation.ts); unlock only after verifying it. */
export const PaymentConfirmedSchema = z.object({
  ...ServerBase,
  type: z.literal("payment_confirmed"),
  paymentId: z.string(),
  storyId: StoryIdSchema,
  confirmation: z.string(),
});
export const SessionEndReasonSchema = z.enum(["ended", "idle", "expired"]);
export const SessionEndSchema = z.object({
  ...ServerBase,
  type: z.literal("session_end"),
  reason: SessionEndReasonSchema,
});

export const ServerMessageSchema = z.discriminatedUnion("type", [
  SessionStateMessageSchema,
  PongSchema,
  StoryStartSchema,
  ImgPreloadSchema,
  CaptionMessageSchema,
  StoryEndSchema,
  AckSchema,
  ErrorMessageSchema,
  StoryUnlockedSchema,
  PaywallSchema,
  PaymentStatusMessageSchema,
  PaymentConfirmedSchema,
  SessionEndSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageOf<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
export type StoryEndReason = z.infer<typeof StoryEndReasonSchema>;
export type SessionEndReason = z.infer<typeof SessionEndReasonSchema>;
