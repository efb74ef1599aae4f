/**
 * NTP-style clock sample from one ping/pong exchange: t0 sent (kiosk), t1 received (server),
 * t2 replied (server), t3 received (kiosk). offset = server − kiosk; its error is at most rtt/2, so
 * callers keep the lowest-RTT samples. Null for an impossible exchange.
 */
export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  /** Kiosk time the sample was taken (ms). */
  at: number;
}

export function sampleFromPong(t0: number, t1: number, t2: number, t3: number): ClockSample | null {
  const rttMs = t3 - t0 - (t2 - t1);
  if (!Number.isFinite(rttMs) || rttMs < 0 || t2 < t1) return null;
  return { offsetMs: (t1 - t0 + (t2 - t3)) / 2, rttMs, at: t3 };
}
