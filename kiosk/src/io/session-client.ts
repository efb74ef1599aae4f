/**
 * The kiosk's session with the edge: opens it with the kiosk credential, keeps its WebSocket alive
 * (ping/pong doubles as clock sync), reconnects with backoff after a drop and resumes the same
 * session (the Durable Object re-sends state, the current story and its announced cues). Reports
 * sent while disconnected are queued and sent on reconnect. A session that ended (idle, expired)
 * is replaced by a fresh one.
 */
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
const MAX_QUEUED = 100;

export interface OpenedSession {
  sessionId: string;
  ws: string;
  expiresAt: number;
}

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
  private queue: ClientMessage[] = [];
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
   * Sends a message; while disconnected, reports (`playback_started`, `img_shown`) are queued for the
   * next connection and anything else is refused (returns false) so the caller can show it.
   */
  send(message: ClientMessage): boolean {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
      return true;
    }
    if ((message.type === "img_shown" || message.type === "playback_started") && this.queue.length < MAX_QUEUED)
      this.queue.push(message);
    return false;
  }

  /** Authorized HTTP call to the edge (payments, override). */
  async http(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(new URL(path, this.options.baseUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${this.options.credential.credential}`, "content-type": "application/json" },
      body: JSON.stringify(body),
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
    const opened = (await this.http(`/v1/kiosks/${credential.kioskId}/sessions`, {})) as OpenedSession;
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
      const permanent = err instanceof HttpError && (err.status === 401 || err.status === 403);
      log.error(permanent ? "kiosk credential refused" : "opening a session failed", { error: String(err) });
      this.options.onConnection(permanent ? "offline" : this.attempt > 2 ? "offline" : "reconnecting");
      this.retry();
      return;
    }
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
      const queued = this.queue.splice(0);
      for (const message of queued) socket.send(JSON.stringify(message));
      this.keepAlive(socket);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
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
        this.queue = [];
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
        this.queue = [];
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
      log.warn("no frames from the session; dropping the connection");
      socket.close(4101, "silent");
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
    if (message.type === "pong") {
      const sample = sampleFromPong(message.t0, message.t1, message.t2, this.options.now());
      if (sample) this.options.clock.add(sample);
      return;
    }
    this.options.onMessage(message);
  }
}
