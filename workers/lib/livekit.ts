import { AccessToken } from "livekit-server-sdk";
import type { Config } from "./config.js";

/** Kiosk tokens live long enough to join; the kiosk asks for a fresh one on reconnect. */
export const LIVEKIT_TOKEN_TTL_IN_S = 15 * 60;

/** Room name of a session: one LiveKit room per visitor session. */
export function roomForSession(sessionId: string): string {
  return `katha-${sessionId}`;
}

/**
 * A subscribe-only LiveKit token for the kiosk of a session: it hears the narrator participant
 * and may send data (img_shown reports), but never publishes media.
 */
export async function mintKioskToken(
  config: Config,
  session: { sessionId: string; kioskId: string },
): Promise<{ url: string; room: string; token: string }> {
  const room = roomForSession(session.sessionId);
  const token = new AccessToken(config.LIVEKIT_API_KEY, config.LIVEKIT_API_SECRET, {
    identity: `kiosk:${session.kioskId}:${session.sessionId.slice(0, 8)}`,
    ttl: LIVEKIT_TOKEN_TTL_IN_S,
  });
  token.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: true });
  return { url: config.LIVEKIT_URL, room, token: await token.toJwt() };
}
