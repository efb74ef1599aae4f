/**
 * Flood control for one kiosk socket: a token bucket for all messages and a strike counter for
 * invalid ones. Pure: time comes in as an argument; the state rides in the socket attachment.
 */
export interface GuardState {
  tokens: number;
  strikes: number;
  updatedAt: number;
}

export interface GuardLimits {
  /** Burst of messages allowed at once. */
  burst: number;
  /** Sustained messages per second. */
  perSecond: number;
  /** Invalid (or rate-limited) messages tolerated before the socket is cut. */
  maxStrikes: number;
  /** One strike is forgiven per this many ms of good behaviour. */
  strikeDecayMs: number;
}

export const DEFAULT_GUARD_LIMITS: GuardLimits = { burst: 40, perSecond: 20, maxStrikes: 20, strikeDecayMs: 5_000 };

export function freshGuard(now: number, limits: GuardLimits = DEFAULT_GUARD_LIMITS): GuardState {
  return { tokens: limits.burst, strikes: 0, updatedAt: now };
}

function refill(state: GuardState, now: number, limits: GuardLimits): GuardState {
  const elapsed = Math.max(0, now - state.updatedAt);
  return {
    tokens: Math.min(limits.burst, state.tokens + (elapsed / 1000) * limits.perSecond),
    strikes: Math.max(0, state.strikes - elapsed / limits.strikeDecayMs),
    updatedAt: now,
  };
}

export type Admission = "accept" | "rate_limited" | "cut";

/** Decides whether a message arriving at `now` is processed. */
export function admit(
  state: GuardState,
  now: number,
  limits: GuardLimits = DEFAULT_GUARD_LIMITS,
): { state: GuardState; verdict: Admission } {
  const current = refill(state, now, limits);
  if (current.tokens >= 1) return { state: { ...current, tokens: current.tokens - 1 }, verdict: "accept" };
  return strike(current, now, limits, "rate_limited");
}

/** Records an invalid message; the socket is cut once strikes reach the limit. */
export function strike(
  state: GuardState,
  now: number,
  limits: GuardLimits = DEFAULT_GUARD_LIMITS,
  verdict: Admission = "accept",
): { state: GuardState; verdict: Admission } {
  const current = refill(state, now, limits);
  const next = { ...current, strikes: current.strikes + 1 };
  return { state: next, verdict: next.strikes >= limits.maxStrikes ? "cut" : verdict };
}
