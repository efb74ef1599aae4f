/**
 * Wires the kiosk together: the pure state machine (screens), the session client (WebSocket + HTTP),
 * the story player (audio + cue scheduling) and payment verification. Messages from the session and
 * results of effects become machine events; the machine's effects become messages and requests.
 */
import { type Accessor, createSignal } from "solid-js";
import { z } from "zod";
import type { RunSnapshot, ServerMessage } from "../../protocol/messages.js";
import { DirectTransport } from "./audio/direct-transport.js";
import { CatalogCardsSchema } from "./core/catalog-response.js";
import { ClockSync } from "./core/clock-sync.js";
import type { SyncMode } from "./core/cue-timeline.js";
import { type Effect, initialState, type KioskEvent, type KioskState, reduce } from "./core/kiosk-machine.js";
import { type KeyValueStore, type KioskCredential, loadCredential, saveCredential } from "./core/provisioning.js";
import { ConfirmationVerifier } from "./io/confirmations.js";
import { fetchFresh } from "./io/content-cache.js";
import { log } from "./io/log.js";
import { HttpError, SessionClient } from "./io/session-client.js";
import { type ShownImage, StoryPlayer } from "./io/story-player.js";

export interface KioskOptions {
  baseUrl: string;
  storage: KeyValueStore;
  mode: SyncMode;
  presentLagMs: () => number;
  /** Re-measures the display's presentation lag (when a visitor arrives). */
  calibrateDisplay?: () => Promise<void>;
}

export interface KioskView {
  state: Accessor<KioskState>;
  image: Accessor<ShownImage | null>;
  caption: Accessor<string | null>;
  progress: Accessor<number>;
  dispatch: (event: KioskEvent) => void;
  provision: (credential: KioskCredential) => void;
  /** Diagnostics for tests and staff: session id, clock offset. */
  diagnostics: () => { sessionId: string | null; clockOffsetMs: number; clockSamples: number; mode: SyncMode };
  dropConnection: () => void;
}

const epochNow = () => performance.timeOrigin + performance.now();
/** After the session says a story finished, how long the kiosk waits for its own audio to end. */
const FINISHED_GRACE_MS = 3_000;
/** How long focus must rest on a story before its narration is fetched ahead. */
const PREFETCH_AFTER_MS = 400;

const PaymentStatusResponseSchema = z.object({
  status: z.string(),
  confirmation: z.string().optional(),
});

export function createKiosk(options: KioskOptions): KioskView {
  let credential = loadCredential(options.storage);
  const [state, setState] = createSignal<KioskState>(initialState(credential !== null));
  const [image, setImage] = createSignal<ShownImage | null>(null);
  const [caption, setCaption] = createSignal<string | null>(null);
  const [progress, setProgress] = createSignal(0);
  const clock = new ClockSync();
  const verifier = new ConfirmationVerifier(options.baseUrl);
  let context: AudioContext | null = null;
  let transport: DirectTransport | null = null;
  let client: SessionClient | null = null;
  let player: StoryPlayer | null = null;
  let lastRun: RunSnapshot | null = null;
  /** The select_story awaiting its story_start: an error with its ref is that story's refusal. */
  let pendingSelect: { ref: string; storyId: string } | null = null;
  /** The last payment_confirmed per payment: re-checked when the visitor asks to retry. */
  const confirmations = new Map<string, string>();
  let prefetchTimer: ReturnType<typeof setTimeout> | undefined;

  const audio = (): DirectTransport => {
    if (transport === null) {
      context = new AudioContext({ latencyHint: "interactive" });
      transport = new DirectTransport(context);
    }
    return transport;
  };

  function dispatch(event: KioskEvent): void {
    // A visitor is here: open the audio output now, not when they pick a story (first use of the
    // device costs hundreds of milliseconds).
    if (event.type === "wake" || event.type === "tap_story") {
      void audio().context.resume();
      void options.calibrateDisplay?.();
    }
    const step = reduce(state(), event);
    setState(step.state);
    for (const effect of step.effects) void run(effect);
  }

  function stopPlayer(): void {
    player?.stop();
    player = null;
    setCaption(null);
    setProgress(0);
  }

  async function run(effect: Effect): Promise<void> {
    const sessionId = client?.sessionId ?? null;
    switch (effect.kind) {
      case "select_story": {
        // Resume the audio context inside the visitor's gesture (autoplay policy).
        void audio().context.resume();
        stopPlayer();
        setImage(null); // never flash the previous story's last image
        const story = state().stories.find((s) => s.id === effect.storyId);
        // A story without narration in the chosen language plays in its first language.
        const lang =
          story && !story.languages.includes(effect.lang) ? (story.languages[0] ?? effect.lang) : effect.lang;
        const ref = `sel-${Date.now()}`;
        pendingSelect = { ref, storyId: effect.storyId };
        const sent = client?.send({ type: "select_story", id: ref, storyId: effect.storyId, lang });
        if (!sent)
          dispatch({
            type: "story_refused",
            storyId: effect.storyId,
            code: "offline",
            message: "offline: try again in a moment",
          });
        return;
      }
      case "stop_story":
        stopPlayer();
        setImage(null);
        client?.send({ type: "stop_story" });
        return;
      case "create_payment": {
        try {
          if (!client || !sessionId) throw new Error("not connected");
          const payment = (await client.http(`/v1/sessions/${sessionId}/payments`, { storyId: effect.storyId })) as {
            paymentId: string;
            amount: number;
            upiUri: string;
            expiresAt: number;
          };
          dispatch({
            type: "paywall",
            storyId: effect.storyId,
            payment: {
              paymentId: payment.paymentId,
              upiUri: payment.upiUri,
              amountPaise: payment.amount,
              expiresAt: payment.expiresAt,
            },
          });
        } catch (err) {
          log.error("payment could not be created", { storyId: effect.storyId, error: String(err) });
          dispatch({
            type: "payment_create_failed",
            storyId: effect.storyId,
            message: err instanceof Error ? err.message : String(err),
          });
        }
        return;
      }
      case "prefetch_narration":
        // Only once focus rests on a story: arrowing across the grid must not fetch every narration.
        clearTimeout(prefetchTimer);
        prefetchTimer = setTimeout(() => {
          audio()
            .prepare({ url: effect.url })
            .catch((err: unknown) => log.warn("narration prefetch failed", { url: effect.url, error: String(err) }));
        }, PREFETCH_AFTER_MS);
        return;
      case "recheck_payment":
        await recheckPayment(effect.paymentId, effect.storyId, true);
        return;
      case "submit_override": {
        try {
          if (!client || !sessionId) throw new Error("not connected");
          const result = (await client.http(`/v1/sessions/${sessionId}/override`, {
            code: effect.code,
            ...(effect.storyId ? { storyId: effect.storyId } : {}),
          })) as { unlocked?: unknown };
          dispatch({ type: "override_result", status: "unlocked" });
          // The session also broadcasts story_unlocked; the HTTP answer is enough when the socket is down.
          const unlocked = typeof result.unlocked === "string" ? result.unlocked : effect.storyId;
          if (unlocked) dispatch({ type: "unlocked", storyId: unlocked });
        } catch (err) {
          const status =
            err instanceof HttpError
              ? err.status === 403
                ? "wrong"
                : err.status === 429
                  ? "locked"
                  : "error"
              : "error";
          log.warn("override refused", { status, error: String(err) });
          dispatch({ type: "override_result", status, message: err instanceof Error ? err.message : String(err) });
        }
        return;
      }
    }
  }

  /**
   * Asks the edge for a payment's status (after a reconnect, or when the visitor retries): a paid one
   * comes with its confirmation, which is verified like a pushed one.
   */
  async function recheckPayment(paymentId: string, storyId: string, freshKeys: boolean): Promise<void> {
    const sessionId = client?.sessionId;
    if (!client || !sessionId) return;
    try {
      const status = PaymentStatusResponseSchema.parse(
        await client.http(`/v1/sessions/${sessionId}/payments/${paymentId}`),
      );
      if (status.confirmation) {
        if (freshKeys) verifier.forgetKeys();
        await confirmPayment({ paymentId, storyId, confirmation: status.confirmation });
      } else if (status.status === "failed" || status.status === "expired") {
        dispatch({ type: "payment_status", paymentId, status: status.status });
      } else if (freshKeys && confirmations.has(paymentId)) {
        verifier.forgetKeys();
        await confirmPayment({ paymentId, storyId, confirmation: confirmations.get(paymentId) ?? "" });
      }
    } catch (err) {
      log.warn("payment status check failed", { paymentId, error: String(err) });
      if (freshKeys) dispatch({ type: "payment_rejected", paymentId, message: "payment status unavailable" });
    }
  }

  async function confirmPayment(message: { paymentId: string; storyId: string; confirmation: string }): Promise<void> {
    confirmations.set(message.paymentId, message.confirmation);
    const expected = { sessionId: client?.sessionId ?? null, storyId: message.storyId, paymentId: message.paymentId };
    let check = await verifier.check(message.confirmation, expected);
    // Keys briefly unreachable: try again before telling the visitor anything is wrong.
    for (let retry = 0; !check.ok && check.reason === "keys_unavailable" && retry < 3; retry++) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * (retry + 1)));
      check = await verifier.check(message.confirmation, expected);
    }
    if (check.ok) {
      log.info("payment confirmed and verified", { paymentId: message.paymentId, storyId: message.storyId });
      dispatch({ type: "payment_verified", paymentId: message.paymentId, storyId: message.storyId });
    } else {
      dispatch({ type: "payment_rejected", paymentId: message.paymentId, message: check.reason });
    }
  }

  function startStory(message: Extract<ServerMessage, { type: "story_start" }>): void {
    if (player?.runId === message.runId) return; // a reconnect re-sent the run that is playing
    if (pendingSelect?.storyId === message.storyId) pendingSelect = null;
    const screen = state().screen;
    const wanted =
      (screen.name === "player" || screen.name === "paywall") &&
      screen.storyId === message.storyId &&
      (screen.name === "paywall" || screen.runId === null || screen.runId === message.runId);
    if (!wanted) {
      // A run the visitor already left (Esc while offline, then a reconnect re-sent it): end it.
      log.info("stopping a story the visitor left", { runId: message.runId, storyId: message.storyId });
      client?.send({ type: "stop_story" });
      return;
    }
    stopPlayer();
    setImage(null);
    const resume = lastRun?.runId === message.runId ? lastRun : null;
    const next = new StoryPlayer(message, {
      transport: audio(),
      clock,
      mode: options.mode,
      presentLagMs: options.presentLagMs,
      report: (report) => client?.send(report),
      view: {
        image: setImage,
        caption: setCaption,
        progress: setProgress,
        playing: (runId) => dispatch({ type: "story_playing", runId }),
        finished: (runId) => dispatch({ type: "story_end", runId }),
        failed: (runId, reason) => {
          log.error("story could not play", { runId, reason });
          if (player?.runId === runId) stopPlayer();
          client?.send({ type: "stop_story" });
          dispatch({
            type: "story_refused",
            storyId: message.storyId,
            code: "content_unavailable",
            message: reason,
            runId,
          });
        },
      },
    });
    player = next;
    dispatch({ type: "story_start", storyId: message.storyId, runId: message.runId });
    void next.play(resume);
  }

  function onMessage(message: ServerMessage): void {
    switch (message.type) {
      case "session_state":
        lastRun = message.run;
        if (message.run === null && player) stopPlayer();
        dispatch({
          type: "session_state",
          unlocked: message.unlocked,
          playing: message.run ? { storyId: message.run.storyId, runId: message.run.runId } : null,
        });
        // A payment may have been confirmed (or expired) while the link was down: ask.
        {
          const screen = state().screen;
          if (screen.name === "paywall" && screen.payment && screen.status === "waiting")
            void recheckPayment(screen.payment.paymentId, screen.storyId, false);
        }
        return;
      case "story_start":
        startStory(message);
        return;
      case "img_preload":
        player?.preload(message);
        return;
      case "caption":
        player?.caption(message);
        return;
      case "story_end":
        if (message.reason !== "finished") {
          if (player?.runId === message.runId) stopPlayer();
          dispatch({ type: "story_end", runId: message.runId });
        } else {
          // The kiosk ends a story when its audio ends; should that never come, the session's word does.
          setTimeout(() => dispatch({ type: "story_end", runId: message.runId }), FINISHED_GRACE_MS);
        }
        return;
      case "error": {
        log.warn("session refused a message", { code: message.code, message: message.message, ref: message.ref });
        // Refusals of select_story do not always name the story (story_not_found, stale_run): match the ref.
        const mine = message.ref !== undefined && message.ref === pendingSelect?.ref;
        const refused = message.storyId ?? (mine ? pendingSelect?.storyId : undefined);
        if (mine) pendingSelect = null;
        if (refused)
          dispatch({ type: "story_refused", storyId: refused, code: message.code, message: message.message });
        return;
      }
      case "story_unlocked":
        dispatch({ type: "unlocked", storyId: message.storyId });
        return;
      case "paywall":
        dispatch({
          type: "paywall",
          storyId: message.storyId,
          payment: {
            paymentId: message.paymentId,
            upiUri: message.upiUri,
            amountPaise: message.amountPaise,
            expiresAt: message.expiresAt,
          },
        });
        return;
      case "payment_status":
        dispatch({ type: "payment_status", paymentId: message.paymentId, status: message.status });
        return;
      case "payment_confirmed":
        void confirmPayment(message);
        return;
      case "session_end":
        stopPlayer();
        setImage(null);
        lastRun = null;
        dispatch({ type: "session_ended" });
        return;
      case "ack":
      case "pong":
        return;
    }
  }

  async function loadCatalog(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { response, fromCache } = await fetchFresh(new URL("/v1/catalog", options.baseUrl).toString());
        const catalog = CatalogCardsSchema.parse(await response.json());
        if (fromCache) log.warn("catalog served from this kiosk's cache (edge unreachable)");
        dispatch({ type: "catalog", stories: catalog.stories });
        return;
      } catch (err) {
        log.error("catalog unavailable; retrying", { attempt, error: String(err) });
        await new Promise((resolve) => setTimeout(resolve, Math.min(15_000, 1000 * 2 ** attempt)));
      }
    }
  }

  function connect(current: KioskCredential): void {
    client?.stop();
    client = new SessionClient({
      baseUrl: options.baseUrl,
      credential: current,
      clock,
      now: epochNow,
      onMessage,
      onConnection: (connection) => {
        // Back online after a drop: the catalog may have changed (or was a cached copy).
        if (connection === "online" && state().connection !== "online" && state().connection !== "connecting")
          void loadCatalog();
        dispatch({ type: "connection", connection });
      },
      onSessionOpened: () => undefined,
    });
    client.start();
  }

  void loadCatalog();
  if (credential) connect(credential);
  // Open the audio output at start-up where the browser allows it (kiosk mode, Electron): a device's
  // output clock takes a moment to settle, and that moment should not be a visitor's first story.
  void audio()
    .context.resume()
    .catch(() => undefined);

  return {
    state,
    image,
    caption,
    progress,
    dispatch,
    provision(next) {
      saveCredential(options.storage, next);
      credential = next;
      connect(next);
      dispatch({ type: "provisioned" });
    },
    diagnostics: () => ({
      sessionId: client?.sessionId ?? null,
      clockOffsetMs: clock.offsetMs(),
      clockSamples: clock.sampleCount,
      mode: options.mode,
    }),
    dropConnection: () => client?.dropConnection(),
  };
}
