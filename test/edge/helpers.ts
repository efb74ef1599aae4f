import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { type ServerMessage, ServerMessageSchema } from "../../protocol/messages.js";
import { registerKiosk } from "../../workers/lib/kiosk-registry.js";

export const BASE = "http://katha.test";

export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}

export function adminHeaders(): Record<string, string> {
  return { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" };
}

export async function newKiosk(name = "test kiosk"): Promise<{ kioskId: string; credential: string }> {
  return registerKiosk(env.DB, name, Date.now());
}

export interface OpenedSession {
  sessionId: string;
  ws: string;
  sessionToken: string;
  expiresAt: number;
  livekit: { url: string; room: string; token: string };
}

export async function openSession(kiosk: { kioskId: string; credential: string }): Promise<OpenedSession> {
  const res = await call(`/v1/kiosks/${kiosk.kioskId}/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${kiosk.credential}`, "content-type": "application/json" },
    body: "{}",
  });
  expect(res.status).toBe(201);
  return res.json();
}

/** A kiosk-side socket that queues every server message for `next()`. */
export class KioskSocket {
  readonly received: ServerMessage[] = [];
  /** Frames that failed ServerMessageSchema; checked after each test file via assertAllValid. */
  readonly invalid: string[] = [];
  private waiters: Array<() => void> = [];
  closed: { code: number; reason: string } | null = null;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      // Every frame the session sends must match the protocol schema (validated both ways).
      const parsed = ServerMessageSchema.safeParse(JSON.parse(String(event.data)));
      if (!parsed.success) this.invalid.push(String(event.data));
      else this.received.push(parsed.data);
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Fails when the session sent any frame outside the protocol schema. */
  assertAllValid(): void {
    if (this.invalid.length > 0)
      throw new Error(`session sent frames outside the protocol: ${this.invalid.join(" | ")}`);
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** Waits for the next message matching `predicate` (consuming messages before it). */
  async next<T extends ServerMessage["type"]>(
    type: T,
    predicate: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertAllValid();
      const index = this.received.findIndex(
        (m) => m.type === type && predicate(m as Extract<ServerMessage, { type: T }>),
      );
      if (index >= 0) {
        const [message] = this.received.splice(0, index + 1).slice(-1);
        // SAFETY: findIndex matched on `type` above.
        return message as Extract<ServerMessage, { type: T }>;
      }
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for ${type}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${type}; have ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a message with an id and waits for the reply that references it. */
  async request(message: Record<string, unknown>, timeoutMs = 5_000): Promise<ServerMessage> {
    const id = `m${Math.random().toString(36).slice(2, 10)}`;
    this.send({ ...message, id });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertAllValid();
      const index = this.received.findIndex((m) => "ref" in m && m.ref === id);
      if (index >= 0) return this.received.splice(index, 1)[0] as ServerMessage;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for reply to ${id}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for reply to ${JSON.stringify(message)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export async function connect(session: { sessionId: string; sessionToken: string }): Promise<KioskSocket> {
  const res = await call(`/v1/sessions/${session.sessionId}/ws?t=${session.sessionToken}`, {
    headers: { upgrade: "websocket" },
  });
  expect(res.status).toBe(101);
  const ws = res.webSocket;
  if (!ws) throw new Error("no webSocket on 101 response");
  const socket = new KioskSocket(ws);
  ws.accept();
  return socket;
}
