import { DurableObject } from "cloudflare:workers";
import type { Story } from "../../protocol/catalog.js";
import type { ErrorCode } from "../../protocol/errors.js";
import type {
  ClientMessage,
  ServerMessage,
  ServerMessageOf,
  SessionEndReason,
  StoryEndReason,
  UnlockSource,
} from "../../protocol/messages.js";
import { PROTOCOL_VERSION } from "../../protocol/version.js";
import type { Env } from "../../workers/env.js";
import { configFor } from "../../workers/lib/config.js";
import { ContentError, loadCatalog, loadCueSheet, publicUrlForKey } from "../../workers/lib/content-store.js";
import { hashSecret, randomSecret, timingSafeEqualStrings } from "../../workers/lib/credentials.js";
import { createLogger, errorFields, type Logger, type LogLevel } from "../../workers/lib/logger.js";
import { deriveSigningKey, type SigningKey, signConfirmation } from "../../workers/payments/confirmation-signer.js";
import { PspError, pspFor } from "../../workers/payments/psp.js";
import { parseClientFrame } from "./client-frame.js";
import { admit, freshGuard, type GuardState, strike } from "./message-guard.js";
import {
  applyPaymentEvent as applyPayment,
  newPayment,
  type PaymentEffect,
  type PaymentEvent,
  type PaymentRecord,
} from "./payment-machine.js";
import { PaymentStore } from "./session-payments.js";
import {
  dueTransition,
  ENDED_RETENTION_MS,
  endedRecord,
  nextWakeAt,
  type SessionRecord,
  SessionRecordSchema,
  type SessionTimings,
  storyAccess,
} from "./session-record.js";
import { migrate } from "./storage-schema.js";
import { SYNC_ALERT_MS, type SyncStats, summarizeSyncErrors } from "./sync-stats.js";
import { audioStartShift, buildTimeline, SEND_BATCH_WINDOW_MS } from "./timeline.js";

/** How soon the alarm retries payment effects that failed (a D1 or PSP hiccup). */
export const EFFECT_RETRY_MS = 5_000;

/** When to start asking the PSP about a payment whose webhook has not arrived, and how often. */
export const PAYMENT_POLL_AFTER_MS = 20_000;
export const PAYMENT_POLL_INTERVAL_MS = 15_000;

/** How far in the future (server clock) a reported audio start may lie: clock-offset noise. */
export const AUDIO_START_SLACK_MS = 1_000;

/** Close code for a socket replaced by a newer connection of the same session. */
export const CLOSE_REPLACED = 4001;
/** Close code when the session ends. */
export const CLOSE_SESSION_ENDED = 4000;

export interface InitSessionParams {
  sessionId: string;
  kioskId: string;
  /** SHA-256 of the session token that authorises the WebSocket. */
  tokenHash: string;
  /** Origin the kiosk reached the edge on; content URLs are built on it. */
  publicBaseUrl: string;
}

/** What `GET /v1/sessions/:id` shows (never the token hash). */
export interface SessionSnapshot {
  sessionId: string;
  kioskId: string;
  status: SessionRecord["status"];
  createdAt: number;
  expiresAt: number;
  endedAt: number | null;
  endReason: SessionRecord["endReason"];
  story: SessionRecord["run"];
  unlocked: string[];
  storiesPlayed: number;
  connections: number;
  sync: SyncStats;
  payment: null;
}

interface SocketAttachment {
  guard: GuardState;
  connectedAt: number;
}

type TimelineMessage = ServerMessageOf<"img_preload"> | ServerMessageOf<"caption"> | ServerMessageOf<"story_end">;

/**
 * One visitor session: the single authority for its narration timeline and (later) its payments.
 * State lives in SQLite; one alarm drives the timeline sends, the idle timeout, the max age and the
 * purge of ended sessions. The kiosk socket uses the hibernation API.
 */
export class KioskSession extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly payments: PaymentStore;
  /** When the platform alarm is set for, as far as this instance knows (null: unknown or none). */
  private armedFor: number | null = null;
  /** Bumped by every select_story so a slower earlier one cannot win after its R2 reads. */
  private selectGeneration = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    migrate(this.sql);
    this.payments = new PaymentStore(this.sql);
  }

  // ---------- RPC (called by the Worker) ----------

  /** Creates the session. Returns null when this id is already in use. */
  async init(params: InitSessionParams): Promise<{ expiresAt: number } | null> {
    if (this.load() !== null) return null;
    const now = Date.now();
    const config = configFor(this.env);
    const record: SessionRecord = {
      ...params,
      createdAt: now,
      expiresAt: now + config.SESSION_MAX_AGE_MS,
      status: "open",
      lastActivityAt: now,
      endedAt: null,
      endReason: null,
      run: null,
      unlocked: [],
      storiesPlayed: 0,
    };
    this.save(record);
    this.log(record).info("session created", { expiresAt: record.expiresAt });
    await this.rearm();
    return { expiresAt: record.expiresAt };
  }

  /** Current state for the API, or null when the session does not exist. */
  async snapshot(): Promise<SessionSnapshot | null> {
    const record = this.load();
    if (record === null) return null;
    const errors = this.sql
      .exec<{ error_ms: number }>("SELECT error_ms FROM img_reports")
      .toArray()
      .map((r) => r.error_ms);
    return {
      sessionId: record.sessionId,
      kioskId: record.kioskId,
      status: record.status,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      endedAt: record.endedAt,
      endReason: record.endReason,
      story: record.run,
      unlocked: record.unlocked,
      storiesPlayed: record.storiesPlayed,
      connections: this.ctx.getWebSockets("kiosk").length,
      sync: summarizeSyncErrors(errors),
      payment: null,
    };
  }

  /** Ends the session (explicit end from the API). Idempotent. */
  async end(): Promise<boolean> {
    const record = this.load();
    if (record === null) return false;
    if (record.status !== "ended") this.endSession(record, "ended", Date.now());
    await this.rearm();
    return true;
  }

  /**
   * Makes a premium story playable in this session. The payment and override flows call this once
   * their proof is verified; idempotent. False when the session does not exist or has ended.
   */
  async unlock(storyId: string, source: UnlockSource): Promise<boolean> {
    const record = this.load();
    if (record === null || record.status === "ended") return false;
    if (!record.unlocked.includes(storyId)) {
      this.save({ ...record, unlocked: [...record.unlocked, storyId] });
      this.log(record).info("story unlocked", { storyId, source });
    }
    this.broadcast({ v: PROTOCOL_VERSION, type: "story_unlocked", storyId, source });
    return true;
  }

  /**
   * Creates (or returns the open) UPI QR payment for a premium story of this session and shows the
   * paywall on the kiosk. The intent is stored before the PSP is called, so nothing is lost if the
   * object restarts mid-call.
   */
  async createPayment(input: { storyId: string; amountPaise: number; description: string }): Promise<
    | {
        ok: true;
        payment: {
          paymentId: string;
          provider: string;
          amount: number;
          currency: "INR";
          upiUri: string;
          expiresAt: number;
        };
      }
    | { ok: false; status: 404 | 409 | 410 | 503; code: ErrorCode; message: string }
  > {
    const record = this.load();
    if (record === null) return { ok: false, status: 404, code: "session_not_found", message: "no such session" };
    if (record.status === "ended")
      return { ok: false, status: 410, code: "session_ended", message: "this session has ended" };
    if (record.unlocked.includes(input.storyId))
      return { ok: false, status: 409, code: "invalid_request", message: "this story is already unlocked" };
    const existing = this.payments.openForStory(input.storyId);
    const reuse = existing === null ? null : this.payments.get(existing);
    if (reuse !== null) return { ok: true, payment: this.paymentView(reuse.provider, reuse.upiUri, reuse.record) };

    const config = configFor(this.env);
    const now = Date.now();
    const paymentId = `pmt_${randomSecret(12)}`;
    const psp = pspFor(config, this.env.DB);
    let qr: Awaited<ReturnType<typeof psp.createQr>>;
    try {
      qr = await psp.createQr({
        paymentId,
        amountPaise: input.amountPaise,
        expiresAt: now + config.PAYMENT_TTL_MS,
        description: input.description,
        notes: { session_id: record.sessionId, kiosk_id: record.kioskId, story_id: input.storyId },
      });
    } catch (err) {
      this.log(record).error("payment QR creation failed", { storyId: input.storyId, ...errorFields(err) });
      return {
        ok: false,
        status: 503,
        code: "unavailable",
        message: err instanceof PspError ? "the payment provider is unavailable" : "payment could not be started",
      };
    }
    const payment = newPayment({
      paymentId,
      storyId: input.storyId,
      amountPaise: input.amountPaise,
      currency: "INR",
      createdAt: now,
      expiresAt: qr.expiresAt,
    });
    this.payments.insert(
      {
        provider: psp.provider,
        providerRef: qr.providerRef,
        upiUri: qr.upiUri,
        record: payment,
        confirmation: null,
      },
      now + PAYMENT_POLL_AFTER_MS,
    );
    await this.env.DB.prepare(
      "INSERT INTO payments (payment_id, provider, provider_ref, session_id, kiosk_id, story_id, amount_paise, currency, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'INR', 'pending', ?, ?)",
    )
      .bind(
        paymentId,
        psp.provider,
        qr.providerRef,
        record.sessionId,
        record.kioskId,
        input.storyId,
        input.amountPaise,
        now,
        qr.expiresAt,
      )
      .run();
    // A visitor paying is active: the session must not idle out while the QR is payable.
    const active = this.load();
    if (active !== null && active.status !== "ended")
      this.save({ ...active, lastActivityAt: Math.max(active.lastActivityAt, qr.expiresAt) });
    const view = this.paymentView(psp.provider, qr.upiUri, payment);
    this.broadcast({
      v: PROTOCOL_VERSION,
      type: "paywall",
      paymentId,
      storyId: input.storyId,
      amountPaise: input.amountPaise,
      currency: "INR",
      upiUri: qr.upiUri,
      expiresAt: qr.expiresAt,
    });
    this.log(record).info("payment QR created", {
      paymentId,
      provider: psp.provider,
      providerRef: qr.providerRef,
      amountPaise: input.amountPaise,
    });
    await this.rearm();
    return { ok: true, payment: view };
  }

  /** Feeds a verified PSP event (webhook or poll) to one payment; idempotent. */
  async applyPspEvent(paymentId: string, event: PaymentEvent): Promise<{ status: string } | null> {
    const stored = this.payments.get(paymentId);
    if (stored === null) return null;
    const next = applyPayment(stored.record, event);
    // The transition and its effects are stored together; effects run from that durable queue, so
    // a failure part-way (D1, PSP) is retried by the next event or the alarm, never forgotten.
    this.payments.save(next.record, next.effects);
    await this.drainEffects(paymentId);
    await this.rearm();
    return { status: this.payments.get(paymentId)?.record.status ?? next.record.status };
  }

  /** Payment status for the API: `{status, confirmation?}`; null when unknown. */
  async paymentStatus(paymentId: string): Promise<{ status: string; storyId: string; confirmation?: string } | null> {
    const stored = this.payments.get(paymentId);
    if (stored === null) return null;
    return {
      status: stored.record.status,
      storyId: stored.record.storyId,
      ...(stored.confirmation ? { confirmation: stored.confirmation } : {}),
    };
  }

  /** Liveness probe for `/health`: touches storage so a broken object fails. */
  async healthPing(): Promise<{ ok: true; schemaVersion: number }> {
    const row = this.sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()[0];
    return { ok: true, schemaVersion: row?.version ?? 0 };
  }

  // ---------- WebSocket ----------

  override async fetch(request: Request): Promise<Response> {
    const record = this.load();
    if (record === null) return jsonError(404, "session_not_found", "no such session");
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return jsonError(426, "invalid_request", "expected a WebSocket upgrade");
    const token = new URL(request.url).searchParams.get("t") ?? "";
    if (!timingSafeEqualStrings(await hashSecret(token), record.tokenHash))
      return jsonError(401, "unauthorized", "missing or wrong session token");
    const current = this.load();
    if (current === null || current.status === "ended")
      return jsonError(410, "session_ended", "this session has ended");

    for (const old of this.ctx.getWebSockets("kiosk")) {
      try {
        old.close(CLOSE_REPLACED, "replaced by a newer connection");
      } catch {
        // already closing: nothing to do
      }
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const now = Date.now();
    this.ctx.acceptWebSocket(server, ["kiosk"]);
    server.serializeAttachment({ guard: freshGuard(now), connectedAt: now } satisfies SocketAttachment);
    const touched = { ...current, lastActivityAt: now };
    this.save(touched);
    this.sendResume(server, touched, now);
    this.log(touched).info("kiosk connected");
    await this.rearm();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const now = Date.now();
    const attachment = readAttachment(ws, now);
    const admission = admit(attachment.guard, now);
    attachment.guard = admission.state;
    if (admission.verdict === "cut") return this.cut(ws, attachment);
    if (admission.verdict === "rate_limited") {
      ws.serializeAttachment(attachment);
      return this.reply(ws, errorMessage("rate_limited", "too many messages; slow down"));
    }

    const parsed = parseClientFrame(raw);
    if (!parsed.ok) {
      const struck = strike(attachment.guard, now);
      attachment.guard = struck.state;
      if (struck.verdict === "cut") return this.cut(ws, attachment);
      ws.serializeAttachment(attachment);
      return this.reply(ws, errorMessage(parsed.code, parsed.message, parsed.ref));
    }
    ws.serializeAttachment(attachment);

    // Clock-sync pings are answered before anything else: their value is a short, steady path,
    // and they are the kiosk's, not the visitor's, so they do not keep the session from idling.
    if (parsed.message.type === "ping") {
      this.reply(ws, {
        v: PROTOCOL_VERSION,
        type: "pong",
        ref: parsed.message.id,
        t0: parsed.message.t0,
        t1: now,
        t2: Date.now(),
      });
      return;
    }

    try {
      const record = this.load();
      if (record === null || record.status === "ended") {
        this.reply(ws, errorMessage("session_ended", "this session has ended", parsed.message.id));
        return;
      }
      this.save({ ...record, lastActivityAt: now });
      await this.dispatch(ws, parsed.message, now);
      await this.rearm();
    } catch (err) {
      createLogger("orchestrator").error("session message failed", { type: parsed.message.type, ...errorFields(err) });
      this.reply(ws, errorMessage("internal", "the session could not handle this message", parsed.message.id));
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const record = this.load();
    if (record) this.log(record).info("kiosk disconnected", { code, reason });
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // the runtime already answered the close
    }
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    const record = this.load();
    if (record) this.log(record).warn("kiosk socket error", errorFields(error));
    void ws;
  }

  // ---------- alarm ----------

  override async alarm(): Promise<void> {
    this.armedFor = null;
    const now = Date.now();
    const record = this.load();
    if (record === null) return;
    const transition = dueTransition(record, now, this.timings());
    if (transition?.kind === "purge") {
      this.log(record).info("ended session purged");
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      // deleteAll drops the tables too; this instance may still answer calls (as "no such session").
      migrate(this.sql);
      return;
    }
    for (const paymentId of this.payments.withPendingEffects()) await this.drainEffects(paymentId);
    await this.pollDuePayments(now);
    await this.expireDuePayments(now);
    if (transition?.kind === "expire") this.endSession(record, "expired", now);
    else if (transition?.kind === "idle") this.endSession(record, "idle", now);
    else this.flushDue(now);
    await this.rearm();
  }

  // ---------- message handlers ----------

  private async dispatch(ws: WebSocket, message: ClientMessage, now: number): Promise<void> {
    switch (message.type) {
      case "ping":
        return; // answered in webSocketMessage
      case "select_story":
        return this.selectStory(ws, message);
      case "playback_started":
        return this.playbackStarted(ws, message, now);
      case "img_shown":
        return this.imgShown(ws, message, now);
      case "stop_story": {
        this.selectGeneration++; // a story still loading must not start after the stop
        const record = this.require();
        if (record.run === null)
          return this.reply(ws, errorMessage("no_story_playing", "no story is playing", message.id));
        this.finishRun(record, "stopped", now);
        return this.ack(ws, message.id);
      }
      case "end_session":
        this.ack(ws, message.id);
        this.endSession(this.require(), "ended", now);
        return;
    }
  }

  private async selectStory(ws: WebSocket, message: Extract<ClientMessage, { type: "select_story" }>): Promise<void> {
    const config = configFor(this.env);
    let generation = 0;
    let story: Story | undefined;
    let sheet: Awaited<ReturnType<typeof loadCueSheet>>;
    try {
      const catalog = await loadCatalog(this.env.CONTENT);
      story = catalog.stories.find((s) => s.id === message.storyId);
      if (story === undefined)
        return this.reply(ws, errorMessage("story_not_found", `no story "${message.storyId}"`, message.id));
      if (!story.languages.includes(message.lang))
        return this.reply(
          ws,
          errorMessage("story_not_found", `story "${story.id}" has no "${message.lang}" narration`, message.id),
        );
      const access = storyAccess(this.require(), story);
      if (!access.ok) {
        const text = access.code === "story_locked" ? "this story must be unlocked first" : "this session has ended";
        return this.reply(ws, { ...errorMessage(access.code, text, message.id), storyId: story.id });
      }
      // Only a request that may play takes a turn: a refused one never cancels an earlier valid one.
      generation = ++this.selectGeneration;
      sheet = await loadCueSheet(this.env.CONTENT, story.id, message.lang);
    } catch (err) {
      if (!(err instanceof ContentError)) throw err;
      this.log(this.require()).error("story content unavailable", {
        storyId: message.storyId,
        key: err.key,
        reason: err.reason,
      });
      return this.reply(ws, errorMessage("content_unavailable", "this story cannot be played right now", message.id));
    }
    // Another select_story (or a stop_story) arrived while this one read R2: the newer one wins.
    if (generation !== this.selectGeneration)
      return this.reply(ws, errorMessage("stale_run", "a newer request replaced this one", message.id));
    const record = this.require();
    if (record.status === "ended")
      return this.reply(ws, errorMessage("session_ended", "this session has ended", message.id));
    if (record.run !== null) this.finishRun(record, "replaced", Date.now());

    const start = Date.now();
    const runId = `run_${randomSecret(9)}`;
    const startAt = start + config.STORY_START_DELAY_MS;
    const urlFor = (key: string) => publicUrlForKey(record.publicBaseUrl, key);
    const timeline = buildTimeline(sheet, {
      runId,
      startAt,
      preloadLeadMs: config.PRELOAD_LEAD_MS,
      now: start,
      urlFor,
    });
    const storyStart: ServerMessageOf<"story_start"> = {
      v: PROTOCOL_VERSION,
      type: "story_start",
      ref: message.id,
      runId,
      storyId: story.id,
      lang: message.lang,
      audio: { url: urlFor(sheet.audio.key), contentType: sheet.audio.contentType, durationMs: sheet.audio.durationMs },
      startAt,
      durationMs: sheet.audio.durationMs,
      cueCount: sheet.cues.length,
      cues: sheet.cues.map((cue) => ({ cueId: cue.id, atMs: cue.atMs, url: urlFor(cue.image) })),
      captions: sheet.captions.map(({ atMs, endMs, text }) => ({ atMs, endMs, text })),
    };
    this.ctx.storage.transactionSync(() => {
      this.sql.exec("DELETE FROM outbox");
      for (const entry of timeline) {
        this.sql.exec(
          "INSERT INTO outbox (run_id, send_at, type, body) VALUES (?, ?, ?, ?)",
          runId,
          entry.sendAt,
          entry.message.type,
          JSON.stringify(entry.message),
        );
      }
      this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('story_start', ?)", JSON.stringify(storyStart));
      this.save({
        ...this.require(),
        status: "playing",
        lastActivityAt: start,
        storiesPlayed: record.storiesPlayed + 1,
        run: {
          runId,
          storyId: story.id,
          lang: message.lang,
          startAt,
          durationMs: sheet.audio.durationMs,
          audioStartedAt: null,
        },
      });
    });
    this.broadcast(storyStart);
    this.log(record).info("story started", {
      storyId: story.id,
      lang: message.lang,
      runId,
      startAt,
      cues: sheet.cues.length,
    });
    this.flushDue(start);
  }

  private playbackStarted(
    ws: WebSocket,
    message: Extract<ClientMessage, { type: "playback_started" }>,
    now: number,
  ): void {
    const record = this.require();
    const run = record.run;
    // The audio cannot have started before the run existed, nor in the future (a kiosk whose clock
    // offset is wrong must not fire the whole remaining timeline at once).
    const earliest = run === null ? 0 : run.startAt - configFor(this.env).STORY_START_DELAY_MS;
    const shift =
      run === null ? null : audioStartShift(run, message.started_at, { earliest, latest: now + AUDIO_START_SLACK_MS });
    if (run === null || run.runId !== message.runId || shift === null) {
      this.reply(
        ws,
        run === null
          ? errorMessage("no_story_playing", "no story is playing", message.id)
          : run.runId !== message.runId
            ? errorMessage("stale_run", "that story run is no longer playing", message.id)
            : errorMessage(
                "invalid_request",
                "started_at is before the story was selected or in the future",
                message.id,
              ),
      );
      return;
    }
    this.ctx.storage.transactionSync(() => {
      this.sql.exec(
        "UPDATE outbox SET send_at = MAX(?, send_at + ?) WHERE run_id = ? AND sent_at IS NULL",
        now,
        shift,
        message.runId,
      );
      this.save({ ...record, run: { ...run, audioStartedAt: message.started_at } });
    });
    this.log(record).info("narration playback started", {
      runId: message.runId,
      offsetFromPlanMs: message.started_at - run.startAt,
    });
    this.ack(ws, message.id);
    this.flushDue(now);
  }

  private imgShown(ws: WebSocket, message: Extract<ClientMessage, { type: "img_shown" }>, now: number): void {
    const known = this.sql
      .exec(
        "SELECT 1 FROM outbox WHERE run_id = ? AND type = 'img_preload' AND json_extract(body, '$.cueId') = ? LIMIT 1",
        message.runId,
        message.cueId,
      )
      .toArray();
    if (known.length === 0) {
      this.reply(ws, errorMessage("stale_run", "no such cue in a current story run", message.id));
      return;
    }
    this.sql.exec(
      "INSERT OR IGNORE INTO img_reports (run_id, cue_id, shown_at, error_ms, received_at) VALUES (?, ?, ?, ?, ?)",
      message.runId,
      message.cueId,
      Math.round(message.shown_at),
      message.error_ms,
      now,
    );
    if (Math.abs(message.error_ms) > SYNC_ALERT_MS)
      this.log(this.require()).warn("img_shown beyond sync alert threshold", {
        runId: message.runId,
        cueId: message.cueId,
        errorMs: message.error_ms,
      });
    this.ack(ws, message.id);
  }

  // ---------- timeline and lifecycle ----------

  /** Sends every timeline message due by `now` (plus a small batching window), in order. */
  private flushDue(now: number): void {
    const due = this.sql
      .exec<{ seq: number; type: string; body: string }>(
        "SELECT seq, type, body FROM outbox WHERE sent_at IS NULL AND send_at <= ? ORDER BY send_at, seq",
        now + SEND_BATCH_WINDOW_MS,
      )
      .toArray();
    if (due.length === 0) return;
    const record = this.require();
    const log = this.log(record);
    for (const row of due) {
      // SAFETY: rows are written only by selectStory from typed TimelineEntry messages.
      const message = JSON.parse(row.body) as TimelineMessage;
      this.sql.exec("UPDATE outbox SET sent_at = ? WHERE seq = ?", now, row.seq);
      this.broadcast(message);
      if (message.type === "img_preload")
        log.info("img_preload sent", {
          runId: message.runId,
          cueId: message.cueId,
          playoutTs: message.playout_ts,
          lateByMs: now - (message.playout_ts - configFor(this.env).PRELOAD_LEAD_MS),
        });
      if (message.type === "story_end") this.finishRun(this.require(), null, now);
    }
  }

  /** Ends the current run; sends `story_end` unless it was the timeline's own (already sent). */
  private finishRun(record: SessionRecord, reason: StoryEndReason | null, now: number): void {
    const run = record.run;
    if (run === null) return;
    this.sql.exec("DELETE FROM outbox WHERE run_id = ? AND sent_at IS NULL", run.runId);
    this.save({ ...record, status: record.status === "ended" ? "ended" : "open", run: null, lastActivityAt: now });
    if (reason !== null)
      this.broadcast({ v: PROTOCOL_VERSION, type: "story_end", runId: run.runId, storyId: run.storyId, reason });
    this.log(record).info("story ended", { runId: run.runId, storyId: run.storyId, reason: reason ?? "finished" });
  }

  private endSession(record: SessionRecord, reason: SessionEndReason, now: number): void {
    if (record.run !== null) this.finishRun(record, "session_ended", now);
    this.sql.exec("DELETE FROM outbox WHERE sent_at IS NULL");
    const ended = endedRecord(this.require(), reason, now);
    this.save(ended);
    this.armedFor = null; // the next wake is the purge: re-arm exactly rather than wake for nothing
    this.broadcast({ v: PROTOCOL_VERSION, type: "session_end", reason });
    for (const ws of this.ctx.getWebSockets("kiosk")) {
      try {
        ws.close(CLOSE_SESSION_ENDED, `session ${reason}`);
      } catch {
        // already closed
      }
    }
    this.log(ended).info("session ended", { reason });
  }

  /** Re-sends what a (re)connecting kiosk needs to resume: state, current run, announced cues. */
  private sendResume(ws: WebSocket, record: SessionRecord, now: number): void {
    this.reply(ws, {
      v: PROTOCOL_VERSION,
      type: "session_state",
      sessionId: record.sessionId,
      status: record.status,
      run: record.run,
      unlocked: record.unlocked,
      expiresAt: record.expiresAt,
      serverTime: now,
    });
    if (record.run === null) return;
    const start = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'story_start'").toArray()[0];
    if (start) {
      // SAFETY: written by selectStory from a typed story_start message.
      const storyStart = JSON.parse(start.value) as ServerMessageOf<"story_start">;
      if (storyStart.runId === record.run.runId) this.reply(ws, { ...storyStart, ref: undefined });
    }
    const sent = this.sql
      .exec<{ body: string }>(
        "SELECT body FROM outbox WHERE run_id = ? AND sent_at IS NOT NULL AND type != 'story_end' ORDER BY send_at, seq",
        record.run.runId,
      )
      .toArray();
    // SAFETY: outbox bodies are typed timeline messages (see flushDue).
    for (const row of sent) this.reply(ws, JSON.parse(row.body) as TimelineMessage);
  }

  private async rearm(): Promise<void> {
    const record = this.load();
    if (record === null) return;
    const nextSend = this.sql
      .exec<{ next: number | null }>("SELECT MIN(send_at) AS next FROM outbox WHERE sent_at IS NULL")
      .toArray()[0]?.next;
    const retryEffects = this.payments.withPendingEffects().length > 0 ? Date.now() + EFFECT_RETRY_MS : null;
    const due = [nextSend ?? null, this.payments.nextExpiry(), this.payments.nextPoll(), retryEffects].filter(
      (t): t is number => t !== null,
    );
    const nextDue = due.length > 0 ? Math.min(...due) : null;
    const wake = nextWakeAt(record, nextDue, this.timings());
    if (wake === null) {
      await this.ctx.storage.deleteAlarm();
      this.armedFor = null;
      return;
    }
    // An alarm set to "now" from inside alarm() can be dropped by workerd: never aim at the past.
    const target = Math.max(wake, Date.now() + 1);
    // An alarm already armed no later than needed is kept: firing early just re-arms (and costs
    // one storage write less per message than moving it every time the idle deadline moves).
    if (this.armedFor !== null && this.armedFor <= target) return;
    await this.ctx.storage.setAlarm(target);
    this.armedFor = target;
  }

  private cut(ws: WebSocket, attachment: SocketAttachment): void {
    ws.serializeAttachment(attachment);
    this.reply(ws, errorMessage("rate_limited", "too many invalid messages; closing"));
    const record = this.load();
    if (record) this.log(record).warn("kiosk socket cut off for flooding");
    try {
      ws.close(1008, "too many invalid messages");
    } catch {
      // already closing
    }
  }

  // ---------- payments ----------

  private paymentView(
    provider: string,
    upiUri: string,
    record: { paymentId: string; amountPaise: number; expiresAt: number },
  ) {
    return {
      paymentId: record.paymentId,
      provider,
      amount: record.amountPaise,
      currency: "INR" as const,
      upiUri,
      expiresAt: record.expiresAt,
    };
  }

  /** Payments whose effects are being carried out right now (effects run one at a time per payment). */
  private readonly draining = new Set<string>();

  /**
   * Carries out a payment's queued effects in order — unlock, signed confirmation, QR close, refund
   * flag — removing each once done, then mirrors the current status to D1. Re-reads the record at
   * every step: another event may have moved the payment while an effect awaited I/O.
   */
  private async drainEffects(paymentId: string): Promise<void> {
    if (this.draining.has(paymentId)) return;
    this.draining.add(paymentId);
    try {
      for (;;) {
        const effect = this.payments.pendingEffects(paymentId)[0];
        const stored = this.payments.get(paymentId);
        if (effect === undefined || stored === null) break;
        await this.carryOutEffect(paymentId, stored.record, effect);
        this.payments.completeFirstEffect(paymentId);
      }
      const current = this.payments.get(paymentId)?.record;
      if (current)
        await this.env.DB.prepare(
          "UPDATE payments SET status = ?, psp_payment_id = ?, paid_at = ? WHERE payment_id = ?",
        )
          .bind(current.status, current.pspPaymentId, current.paidAt, paymentId)
          .run();
    } finally {
      this.draining.delete(paymentId);
    }
  }

  private async carryOutEffect(paymentId: string, payment: PaymentRecord, effect: PaymentEffect): Promise<void> {
    const record = this.load();
    const log = record ? this.log(record) : createLogger("payments");
    switch (effect.type) {
      case "unlock": {
        const current = this.load();
        if (current === null || current.status === "ended") {
          // Paid, but nobody is at the kiosk any more: the visitor is owed a refund.
          await this.flagRefund(paymentId, "late_credit", payment.pspPaymentId, payment.amountPaise, log);
        } else if (current.unlocked.includes(effect.storyId)) {
          // Already unlocked (another QR of the same story, or an override): this payment is extra.
          await this.flagRefund(paymentId, "duplicate_payment", payment.pspPaymentId, payment.amountPaise, log);
        } else this.save({ ...current, unlocked: [...current.unlocked, effect.storyId] });
        break;
      }
      case "confirm": {
        const confirmation = await signConfirmation(await signingKeyFor(configFor(this.env).PAYMENT_SIGN_SECRET), {
          paymentId,
          sessionId: record?.sessionId ?? "",
          storyId: payment.storyId,
          amountPaise: payment.amountPaise,
          currency: "INR",
          paidAt: effect.paidAt,
        });
        this.payments.setConfirmation(paymentId, confirmation);
        this.broadcast({
          v: PROTOCOL_VERSION,
          type: "payment_confirmed",
          paymentId,
          storyId: payment.storyId,
          confirmation,
        });
        log.info("payment confirmed; story unlocked", {
          paymentId,
          storyId: payment.storyId,
          pspPaymentId: effect.pspPaymentId,
        });
        break;
      }
      case "notify":
        // The payment's status now, not when the effect was queued (it may have moved since).
        this.broadcast({
          v: PROTOCOL_VERSION,
          type: "payment_status",
          paymentId,
          storyId: payment.storyId,
          status: payment.status,
        });
        break;
      case "close_qr": {
        const stored = this.payments.get(paymentId);
        if (stored === null) break;
        try {
          await pspFor(configFor(this.env), this.env.DB).closeQr(stored.providerRef);
        } catch (err) {
          log.warn("closing an expired QR failed", { paymentId, ...errorFields(err) });
        }
        break;
      }
      case "flag_refund":
        await this.flagRefund(paymentId, effect.reason, effect.pspPaymentId, effect.amountPaise, log);
        break;
    }
  }

  private async flagRefund(
    paymentId: string,
    reason: string,
    pspPaymentId: string | null,
    amountPaise: number,
    log: Logger,
  ): Promise<void> {
    await this.env.DB.prepare("UPDATE payments SET refund_reason = ? WHERE payment_id = ?")
      .bind(reason, paymentId)
      .run();
    log.warn("payment flagged for refund", { paymentId, reason, pspPaymentId, amountPaise });
  }

  /**
   * Asks the PSP about open payments whose webhook has not come (late or lost): a captured payment
   * found this way is applied like its webhook would have been (idempotently).
   */
  private async pollDuePayments(now: number): Promise<void> {
    for (const paymentId of this.payments.dueForPoll(now)) {
      const stored = this.payments.get(paymentId);
      if (stored === null) continue;
      this.payments.setNextPoll(paymentId, now + PAYMENT_POLL_INTERVAL_MS);
      try {
        const found = await pspFor(configFor(this.env), this.env.DB).qrPayments(stored.providerRef);
        for (const p of found) {
          if (p.status !== "captured" && p.status !== "SUCCESS") continue;
          this.log(this.require()).info("payment found by polling the PSP", {
            paymentId,
            pspPaymentId: p.pspPaymentId,
          });
          await this.applyPspEvent(paymentId, {
            type: "credited",
            pspPaymentId: p.pspPaymentId,
            amountPaise: p.amountPaise,
            currency: p.currency,
            paidAt: p.createdAt,
          });
        }
      } catch (err) {
        this.log(this.require()).warn("polling the PSP failed; will retry", { paymentId, ...errorFields(err) });
      }
    }
  }

  /** Expires every open payment whose QR passed its close_by. */
  private async expireDuePayments(now: number): Promise<void> {
    for (const paymentId of this.payments.dueForExpiry(now))
      await this.applyPspEvent(paymentId, { type: "expired", at: now });
  }

  // ---------- plumbing ----------

  private timings(): SessionTimings {
    return { idleTimeoutMs: configFor(this.env).SESSION_IDLE_TIMEOUT_MS, retentionMs: ENDED_RETENTION_MS };
  }

  /** The record from storage (read each time: SQLite is local and this keeps no stale copy). */
  private load(): SessionRecord | null {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'session'").toArray()[0];
    return row ? SessionRecordSchema.parse(JSON.parse(row.value)) : null;
  }

  private require(): SessionRecord {
    const record = this.load();
    if (record === null) throw new Error("session record missing");
    return record;
  }

  private save(record: SessionRecord): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('session', ?)", JSON.stringify(record));
  }

  private log(record: SessionRecord): Logger {
    const level = (this.env.LOG_LEVEL ?? "info") as LogLevel;
    return createLogger("orchestrator", level, { sessionId: record.sessionId, kioskId: record.kioskId });
  }

  private reply(ws: WebSocket, message: ServerMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      // socket already closed: the kiosk resumes from session_state on reconnect
    }
  }

  private ack(ws: WebSocket, ref: string | undefined): void {
    if (ref !== undefined) this.reply(ws, { v: PROTOCOL_VERSION, type: "ack", ref });
  }

  private broadcast(message: ServerMessage): void {
    for (const ws of this.ctx.getWebSockets("kiosk")) this.reply(ws, message);
  }
}

/** Signing keys derived once per isolate and secret (HKDF + key import are not free). */
const signingKeys = new Map<string, Promise<SigningKey>>();
function signingKeyFor(secret: string): Promise<SigningKey> {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    key = deriveSigningKey(secret);
    signingKeys.set(secret, key);
  }
  return key;
}

function errorMessage(code: ErrorCode, message: string, ref?: string): ServerMessageOf<"error"> {
  return { v: PROTOCOL_VERSION, type: "error", code, message, ...(ref === undefined ? {} : { ref }) };
}

function jsonError(status: number, code: ErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

function readAttachment(ws: WebSocket, now: number): SocketAttachment {
  // SAFETY: every accepted socket gets a SocketAttachment in fetch(); null only if it was lost.
  const attachment = ws.deserializeAttachment() as SocketAttachment | null;
  return attachment ?? { guard: freshGuard(now), connectedAt: now };
}
