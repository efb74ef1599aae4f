import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./api-error.js";

/** Largest JSON body the API accepts; bigger bodies get 413 before they are read. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

/**
 * Reads, size-caps, parses and validates a JSON request body. Every failure is an ApiError with a
 * message saying what was wrong (never a parser stack).
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES)
    throw new ApiError(413, "payload_too_large", `body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
  const text = await c.req.text();
  if (new TextEncoder().encode(text).byteLength > MAX_JSON_BODY_BYTES)
    throw new ApiError(413, "payload_too_large", `body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
  let data: unknown;
  try {
    data = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "body is not valid JSON");
  }
  const result = schema.safeParse(data);
  if (!result.success) throw new ApiError(400, "invalid_request", describeIssues(result.error));
  return result.data;
}

/** One line naming each failing field, e.g. `storyId: Invalid input; lang: ...`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
