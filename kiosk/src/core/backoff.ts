/**
 * Reconnect delays: exponential from `baseMs`, capped at `maxMs`, with "equal jitter" so a room full
 * of kiosks that lost the network together does not reconnect in lockstep.
 */
export function reconnectDelayMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  maxMs = 15_000,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
