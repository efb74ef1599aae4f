import type { ErrorCode } from "../../protocol/errors.js";
import { CLIENT_MESSAGE_TYPES, type ClientMessage, ClientMessageSchema } from "../../protocol/messages.js";
import { PROTOCOL_VERSION } from "../../protocol/version.js";
import { describeIssues } from "../../workers/lib/json-body.js";

/** Largest WebSocket frame a kiosk may send; protocol messages are a few hundred bytes. */
export const MAX_WS_MESSAGE_BYTES = 4096;

export type FrameResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: ErrorCode; message: string; ref?: string };

/** Validates one inbound frame: size, JSON, protocol version, known type, then the type's schema. */
export function parseClientFrame(raw: string | ArrayBuffer): FrameResult {
  if (typeof raw !== "string")
    return { ok: false, code: "invalid_request", message: "binary frames are not supported" };
  if (raw.length > MAX_WS_MESSAGE_BYTES || new TextEncoder().encode(raw).byteLength > MAX_WS_MESSAGE_BYTES)
    return { ok: false, code: "payload_too_large", message: `messages are limited to ${MAX_WS_MESSAGE_BYTES} bytes` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: "invalid_json", message: "message is not valid JSON" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return { ok: false, code: "invalid_request", message: "message must be a JSON object with a type" };
  const fields = data as Record<string, unknown>;
  const ref = typeof fields.id === "string" && fields.id.length <= 64 ? fields.id : undefined;
  if (fields.v !== undefined && fields.v !== PROTOCOL_VERSION)
    return {
      ok: false,
      code: "unsupported_version",
      message: `protocol version ${PROTOCOL_VERSION} is supported`,
      ref,
    };
  if (typeof fields.type !== "string" || !(CLIENT_MESSAGE_TYPES as readonly string[]).includes(fields.type))
    return {
      ok: false,
      code: "unknown_message_type",
      message: `unknown message type; expected one of ${CLIENT_MESSAGE_TYPES.join(", ")}`,
      ref,
    };
  const result = ClientMessageSchema.safeParse(data);
  if (!result.success) return { ok: false, code: "invalid_request", message: describeIssues(result.error), ref };
  return { ok: true, message: result.data };
}
