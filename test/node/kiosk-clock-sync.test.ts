import { describe, expect, it } from "vitest";
import { reconnectDelayMs } from "../../kiosk/src/core/backoff.js";
import { ClockSync, sampleFromPong } from "../../kiosk/src/core/clock-sync.js";

describe("kiosk clock sync (NTP-style)", () => {
  it("computes offset and round trip from one exchange", () => {
    // Server is 1000 ms ahead; 10 ms each way; 2 ms in the server.
    expect(sampleFromPong(100, 1110, 1112, 122)).toEqual({ offsetMs: 1000, rttMs: 20, at: 122 });
  });

  it("rejects impossible exchanges (negative round trip, server replying before receiving)", () => {
    expect(sampleFromPong(100, 1110, 1112, 101)).toBeNull();
    expect(sampleFromPong(100, 1112, 1110, 130)).toBeNull();
    expect(sampleFromPong(100, Number.NaN, 1110, 130)).toBeNull();
  });

  it("keeps the lowest-RTT sample of the window, not the latest or the mean", () => {
    const clock = new ClockSync(4);
    clock.add({ offsetMs: 40, rttMs: 80, at: 1 }); // slow, asymmetric
    clock.add({ offsetMs: 5, rttMs: 4, at: 2 }); // best
    clock.add({ offsetMs: -30, rttMs: 60, at: 3 });
    expect(clock.offsetMs()).toBe(5);
    expect(clock.toServer(1000)).toBe(1005);
    expect(clock.toLocal(1005)).toBe(1000);
  });

  it("ages old samples out so a drifting clock is followed", () => {
    const clock = new ClockSync(3);
    clock.add({ offsetMs: 5, rttMs: 2, at: 1 });
    for (let i = 0; i < 3; i++) clock.add({ offsetMs: 9, rttMs: 6, at: 2 + i });
    expect(clock.offsetMs()).toBe(9);
    expect(clock.sampleCount).toBe(3);
  });

  it("answers 0 before the first sample", () => {
    expect(new ClockSync().offsetMs()).toBe(0);
  });
});

describe("reconnect backoff", () => {
  it("grows exponentially with jitter and stays under the cap", () => {
    expect(reconnectDelayMs(0, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, () => 1)).toBe(500);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(3000);
    expect(reconnectDelayMs(30, () => 1)).toBe(15_000);
    expect(reconnectDelayMs(30, () => 0)).toBe(7_500);
  });
});
