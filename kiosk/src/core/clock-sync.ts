/**
 * NTP-style clock offset between this kiosk and the edge, from `ping`/`pong` round trips.
 * offset = server − local. Error is at most half the round trip, so the estimate uses the lowest-RTT
 * sample among the most recent ones (NTP's filter): a slow, asymmetric exchange never wins.
 */

export interface ClockSample {
  offsetMs: number;
  rttMs: number;
  /** Local time the sample was taken (ms). */
  at: number;
}

/** One exchange: t0 sent (local), t1 received (server), t2 replied (server), t3 received (local). */
export function sampleFromPong(t0: number, t1: number, t2: number, t3: number): ClockSample | null {
  const rttMs = t3 - t0 - (t2 - t1);
  if (!Number.isFinite(rttMs) || rttMs < 0 || t2 < t1) return null;
  return { offsetMs: (t1 - t0 + (t2 - t3)) / 2, rttMs, at: t3 };
}

export class ClockSync {
  private samples: ClockSample[] = [];

  /** `window` samples are kept; older ones age out so a drifting clock is followed. */
  constructor(private readonly window = 8) {}

  add(sample: ClockSample): void {
    this.samples.push(sample);
    if (this.samples.length > this.window) this.samples.shift();
  }

  /** The best current estimate, or null before the first sample. */
  best(): ClockSample | null {
    let best: ClockSample | null = null;
    for (const s of this.samples) if (best === null || s.rttMs < best.rttMs) best = s;
    return best;
  }

  /** server − local in ms (0 until measured). */
  offsetMs(): number {
    return this.best()?.offsetMs ?? 0;
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Local clock → server clock. */
  toServer(localMs: number): number {
    return localMs + this.offsetMs();
  }

  /** Server clock → local clock. */
  toLocal(serverMs: number): number {
    return serverMs - this.offsetMs();
  }
}
