import WebSocket from "ws";
import { sampleFromPong } from "../../protocol/clock.js";
import { type ServerMessage, ServerMessageSchema } from "../../protocol/messages.js";

export interface OpenedSession {
  sessionId: string;
  ws: string;
  sessionToken: string;
  expiresAt: number;
}

/** Opens a session as a registered kiosk (`POST /v1/kiosks/:id/sessions`). */
export async function openSession(baseUrl: string, kioskId: string, credential: string): Promise<OpenedSession> {
  const res = await fetch(`${baseUrl}/v1/kiosks/${kioskId}/sessions`, {
    method: "POST",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: "{}",
  });
  if (res.status !== 201) throw new Error(`opening a session failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as OpenedSession;
}

type Listener = (message: ServerMessage, receivedAt: number) => void;

/**
 * A Node-side kiosk connection: validates every server message against the protocol schema and
 * hands it to listeners with its arrival time.
 */
export class KioskConnection {
  private listeners = new Set<Listener>();
  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const receivedAt = Date.now();
      const parsed = ServerMessageSchema.safeParse(JSON.parse(String(data)));
      if (!parsed.success) throw new Error(`server sent an invalid message: ${String(data).slice(0, 200)}`);
      for (const listener of this.listeners) listener(parsed.data, receivedAt);
    });
  }

  static connect(url: string): Promise<KioskConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const connection = new KioskConnection(socket);
      socket.once("open", () => resolve(connection));
      socket.once("error", reject);
    });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(message: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Resolves with the first message satisfying `predicate`. */
  waitFor<T extends ServerMessage>(predicate: (m: ServerMessage) => m is T, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error("timed out waiting for a server message"));
      }, timeoutMs);
      const off = this.on((message) => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        off();
        resolve(message);
      });
    });
  }

  /** NTP-style clock offset (server − local) from the lowest-RTT of `samples` pings. */
  async measureOffset(samples = 8): Promise<{ offsetMs: number; rttMs: number }> {
    let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < samples; i++) {
      const t0 = Date.now();
      const id = `sync${i}`;
      this.send({ type: "ping", id, t0 });
      const pong = await this.waitFor(
        (m): m is Extract<ServerMessage, { type: "pong" }> => m.type === "pong" && m.ref === id,
      );
      const sample = sampleFromPong(t0, pong.t1, pong.t2, Date.now());
      if (sample && sample.rttMs < best.rttMs) best = { offsetMs: sample.offsetMs, rttMs: sample.rttMs };
    }
    return best;
  }

  close(): void {
    this.socket.close(1000, "done");
  }
}
