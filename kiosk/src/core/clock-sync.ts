/**
 * NTP-style clock offset between this kiosk and the edge, from `ping`/`pong` round trips.
 * offset = server − local. Error is at most half the round trip, so the estimate uses the lowest-RTT
 * sample among the most recent ones (NTP's filter): a slow, asymmetric exchange never wins.
 */

export type { ClockSample } from "../../../protocol/clock.js";
export { sampleFromPong } from "../../../protocol/clock.js";

import type { ClockSample } from "../../../protocol/clock.js";

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
