import { z } from "zod";

/**
 * Error codes shared by HTTP (`{"error":{code,message}}`) and WebSocket (`error` message).
 * Clients branch on the code; the message is for humans and logs.
 */
export const ErrorCodeSchema = z.enum([
  // request shape
  "invalid_json",
  "invalid_request",
  "payload_too_large",
  "unsupported_version",
  "unknown_message_type",
  // auth
  "unauthorized",
  "forbidden",
  "kiosk_revoked",
  // lookup
  "not_found",
  "session_not_found",
  "story_not_found",
  "session_ended",
  // state
  "story_locked",
  "no_story_playing",
  "stale_run",
  "rate_limited",
  "content_unavailable",
  "config_invalid",
  "unavailable",
  "internal",
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;
