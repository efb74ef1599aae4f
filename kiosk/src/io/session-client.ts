/**
 * The kiosk's session with the edge: opens it with the kiosk credential, keeps its WebSocket alive
 * (ping/pong doubles as clock sync), reconnects with backoff after a drop and resumes the same
 * session (the Durable Object re-sends state, the current story and its announced cues). Reports
 * are re-sent on each connection until acked. A session that ended (idle, expired) is replaced by a
 * fresh one.
 */
import { z } from "zod";
import { type ClientMessage, type ServerMessage, ServerMessageSchema } from "../../../protocol/messages.js";
import { reconnectDelayMs } from "../core/backoff.js";
import { type ClockSync, sampleFromPong } from "../core/clock-sync.js";
import type { Connection } from "../core/kiosk-machine.js";
import type { KioskCredential } from "../core/provisioning.js";
import { log } from "./log.js";

const CLOSE_SESSION_ENDED = 4000;
const CLOSE_REPLACED = 4001;
/** Ping cadence once the clock is measured, and the burst that measures it first. */
const PING_INTERVAL_MS = 5_000;
const BURST_PINGS = 8;
const BURST_INTERVAL_MS = 150;
/** No frame at all for this long means the socket is dead even if the browser has not noticed. */
const SILENCE_LIMIT_MS = 12_000;
const MAX_UNACKED = 200;
/** No HTTP call to the edge may hang the kiosk longer than this. */
const HTTP_TIMEOUT_MS = 10_000;

const OpenedSessionSchema = z.object({
  sessionId: z.string().min(1),
  ws: z.string().regex(/^wss?:\/\//, "a ws:// or wss:// URL"),
  expiresAt: z.number(),
});
export type OpenedSession = z.infer<typeof OpenedSessionSchema>;

export interface SessionClientOptions {
  baseUrl: string;
  credential: KioskCredential;
  clock: ClockSync;
  /** Page clock as epoch ms (monotonic): performance.timeOrigin + performance.now(). */
  now: () => number;
  onMessage: (message: ServerMessage) => void;
  onConnection: (connection: Connection) => void;
  onSessionOpened: (session: OpenedSession) => void;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads `{"error":{code,message}}` from a failed response. */
export async function httpError(response: Response): Promise<HttpError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return new HttpError(response.status, body.error?.code ?? "http_error", body.error?.message ?? response.statusText);
  } catch {
    return new HttpError(response.status, "http_error", `HTTP ${response.status}`);
  }
}

export class SessionClient {
  private socket: WebSocket | null = null;
  private session: OpenedSession | null = null;
  private attempt = 0;
  private stopped = false;
  /** Reports awaiting the session's ack, by id: re-sent on every new connection until acked. */
  private unacked = new Map<string, ClientMessage>();
  private reportSeq = 0;
  private timers = new Set<ReturnType<typeof setTimeout>>();
  private lastFrameAt = 0;
  private pingSeq = 0;
  private pingsSent = 0;

  constructor(private readonly options: SessionClientOptions) {}

  get sessionId(): string | null {
    return this.session?.sessionId ?? null;
  }

  start(): void {
    this.stopped = false;
    this.options.onConnection("connecting");
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.socket?.close(1000, "kiosk stopped");
    this.socket = null;
  }

  /** Forces a reconnect now (the network came back, or a test dropped the socket). */
  dropConnection(): void {
    this.socket?.close(4100, "dropped by the kiosk");
  }

  /**
   * Sends a message now, or refuses (false) while disconnected so the caller can say so. Reports
   * (`playback_started`, `img_shown`) and `stop_story` are delivered reliably instead: each carries an
   * id and is re-sent on every new connection until the session acks it (the session ignores
   * repeats), so neither a drop nor a socket that died silently loses one.
   */
  send(message: ClientMessage): boolean {
    if (message.type === "img_shown" || message.type === "playback_started" || message.type === "stop_story") {
      const id = message.id ?? `r${++this.reportSeq}`;
      if (this.unacked.size < MAX_UNACKED) this.unacked.set(id, { ...message, id });
      return this.transmit({ ...message, id });
    }
    return this.transmit(message);
  }

  private transmit(message: ClientMessage): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Authorized HTTP call to the edge (payments, override): POST with a body, GET without. */
  async http(path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${this.options.credential.credential}`, "content-type": "application/json" },
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await httpError(response);
    return response.json();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private async openSession(): Promise<OpenedSession> {
    const { credential } = this.options;
    const opened = OpenedSessionSchema.parse(await this.http(`/v1/kiosks/${credential.kioskId}/sessions`, {}));
    log.info("session opened", { sessionId: opened.sessionId });
    this.options.onSessionOpened(opened);
    return opened;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let session = this.session;
    try {
      if (session === null || session.expiresAt <= Date.now()) session = this.session = await this.openSession();
    } catch (err) {
      if (this.stopped) return;
      const permanent = err instanceof HttpError && (err.status === 401 || err.status === 403);
      log.error(permanent ? "kiosk credential refused" : "opening a session failed", { error: String(err) });
      this.options.onConnection(permanent ? "offline" : this.attempt > 2 ? "offline" : "reconnecting");
      this.retry();
      return;
    }
    // Stopped (or replaced by a newly provisioned credential) while the session was being opened.
    if (this.stopped) return;
    const socket = new WebSocket(session.ws);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.attempt = 0;
      this.lastFrameAt = Date.now();
      this.pingsSent = 0;
      this.options.onConnection("online");
      for (const message of this.unacked.values()) socket.send(JSON.stringify(message));
      this.keepAlive(socket);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || this.stopped) return;
      this.lastFrameAt = Date.now();
      this.receive(String(event.data));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (event.code === CLOSE_REPLACED) {
        log.warn("another connection took over this session; not reconnecting");
        this.options.onConnection("offline");
        return;
      }
      if (event.code === CLOSE_SESSION_ENDED) {
        // The visitor's session is over (idle/expired/ended): the next visitor gets a fresh one.
        this.session = null;
        this.unacked.clear();
        void this.connect();
        return;
      }
      log.warn("connection lost; reconnecting", { code: event.code, attempt: this.attempt });
      this.options.onConnection(this.attempt > 2 ? "offline" : "reconnecting");
      // Refused before opening: the session may have ended while the kiosk was away.
      if (!opened) void this.forgetEndedSession(session).finally(() => this.retry());
      else this.retry();
    };
  }

  /** Drops the remembered session when the edge says it is gone or over. */
  private async forgetEndedSession(session: OpenedSession): Promise<void> {
    try {
      const response = await fetch(new URL(`/v1/sessions/${session.sessionId}`, this.options.baseUrl), {
        headers: { authorization: `Bearer ${this.options.credential.credential}` },
      });
      const ended =
        response.status === 404 ||
        response.status === 410 ||
        (response.ok && ((await response.json()) as { status?: string }).status === "ended");
      if (ended && this.session === session) {
        log.info("session is over; opening a fresh one", { sessionId: session.sessionId });
        this.session = null;
        this.unacked.clear();
      }
    } catch {
      // Still offline: keep the session and try again later.
    }
  }

  private retry(): void {
    const delay = reconnectDelayMs(this.attempt++);
    this.later(delay, () => void this.connect());
  }

  private keepAlive(socket: WebSocket): void {
    if (this.socket !== socket || this.stopped) return;
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
      // A black-holed link would hold the closing handshake for a minute: detach and reconnect now.
      log.warn("no frames from the session; dropping the connection");
      this.socket = null;
      socket.close(4101, "silent");
      this.options.onConnection("reconnecting");
      this.retry();
      return;
    }
    const t0 = this.options.now();
    socket.send(JSON.stringify({ type: "ping", id: `p${++this.pingSeq}`, t0 }));
    this.pingsSent++;
    this.later(this.pingsSent < BURST_PINGS ? BURST_INTERVAL_MS : PING_INTERVAL_MS, () => this.keepAlive(socket));
  }

  private receive(raw: string): void {
    let parsed: ReturnType<typeof ServerMessageSchema.safeParse>;
    try {
      parsed = ServerMessageSchema.safeParse(JSON.parse(raw));
    } catch {
      log.error("session sent invalid JSON; ignored", { frame: raw.slice(0, 200) });
      return;
    }
    if (!parsed.success) {
      log.error("session sent a message this kiosk does not understand; ignored", { frame: raw.slice(0, 200) });
      return;
    }
    const message = parsed.data;
    if ((message.type === "ack" || message.type === "error") && message.ref) this.unacked.delete(message.ref);
    if (message.type === "pong") {
      const sample = sampleFromPong(message.t0, message.t1, message.t2, this.options.now());
      if (sample) this.options.clock.add(sample);
      return;
    }
    this.options.onMessage(message);
  }
}
