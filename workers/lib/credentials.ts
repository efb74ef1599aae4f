/**
 * Kiosk credentials: `<kioskId>.<secret>` where the secret is 32 random bytes (base64url).
 * Only SHA-256(secret) is stored; the secret's entropy makes a slow KDF unnecessary.
 */

import { toBase64Url } from "../../protocol/confirmation.js";

const encoder = new TextEncoder();

/** Hex SHA-256 of bytes or of a string's UTF-8 (content hashes, ledger body hashes, stored secrets). */
export async function sha256Hex(data: Uint8Array | ArrayBuffer | string): Promise<string> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Random URL-safe secret of `byteLength` bytes. */
export function randomSecret(byteLength = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** A new kiosk id: `ksk_` + 16 lowercase base32 chars. */
export function newKioskId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `ksk_${[...bytes].map((b) => alphabet[b % 32]).join("")}`;
}

/** Hex SHA-256 of a secret, as stored in D1 / DO storage. */
export function hashSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/** Constant-time comparison of two equal-purpose strings (length is not secret: hashes). */
export function timingSafeEqualStrings(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < left.byteLength; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

/** Splits `<kioskId>.<secret>`; null when the shape is wrong. */

/** Reads a bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
