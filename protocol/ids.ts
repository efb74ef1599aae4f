import { z } from "zod";

/** Story ids are URL- and key-safe slugs. */
export const StoryIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "story id must be a lowercase slug (a-z, 0-9, -), at most 64 chars");

/** Narration languages the kiosk offers. */
export const LangSchema = z.enum(["en", "hi"]);
export type Lang = z.infer<typeof LangSchema>;

/**
 * An R2 object key for content: lowercase path segments of safe characters, no `..`, no leading
 * slash. Content-hashed keys (`images/<name>.<hash>.webp`) are cached as immutable.
 */
export const ContentKeySchema = z
  .string()
  .max(256)
  .regex(
    /^(?!.*\.\.)(?!\/)[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/,
    "content key must be lowercase path segments of [a-z0-9._-] with no '..' or leading '/'",
  );

/** Session ids are UUIDs minted by the edge (unguessable: 122 random bits). */
export const SessionIdSchema = z.uuid({ version: "v4" });

/** Kiosk ids: `ksk_` + 16 lowercase base32 chars, or a readable slug for the demo kiosk. */
export const KioskIdSchema = z.string().regex(/^ksk_[a-z0-9-]{3,40}$/, "kiosk id must look like ksk_<letters/digits>");

const KIOSK_CREDENTIAL = /^(ksk_[a-z0-9-]{3,40})\.([A-Za-z0-9_-]{20,100})$/;

/**
 * A kiosk credential `<kioskId>.<secret>` (minted by the edge; the secret is base64url). Shared by the
 * edge (authentication) and the kiosk app (provisioning), so both agree on what one looks like.
 */
export function parseKioskCredential(credential: string): { kioskId: string; secret: string } | null {
  const match = KIOSK_CREDENTIAL.exec(credential);
  if (!match?.[1] || !match[2]) return null;
  return { kioskId: match[1], secret: match[2] };
}
