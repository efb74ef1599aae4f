/**
 * Staff override codes: HOTP (RFC 4226) with a per-kiosk key derived from OVERRIDE_SECRET and the
 * day (India Standard Time) as the counter — one 6-digit code per kiosk per day, printed by a CLI
 * for staff and checked by the edge. Pure apart from WebCrypto.
 */
const encoder = new TextEncoder();
const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;

/** RFC 4226 HOTP value for `key` and `counter`, as `digits` decimal digits. */
export async function hotp(key: Uint8Array<ArrayBuffer>, counter: number, digits = 6): Promise<string> {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, BigInt(counter));
  const hmacKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, message));
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary =
    (((mac[offset] ?? 0) & 0x7f) << 24) |
    ((mac[offset + 1] ?? 0) << 16) |
    ((mac[offset + 2] ?? 0) << 8) |
    (mac[offset + 3] ?? 0);
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The override day (counter) of an instant: days since the epoch in India Standard Time. */
export function overrideDay(nowMs: number): number {
  return Math.floor((nowMs + IST_OFFSET_MS) / 86_400_000);
}

async function kioskKey(overrideSecret: string, kioskId: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(overrideSecret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`katha-override:${kioskId}`)));
}

/** Today's (or `day`'s) override code for one kiosk. */
export async function overrideCode(overrideSecret: string, kioskId: string, nowMs: number): Promise<string> {
  return hotp(await kioskKey(overrideSecret, kioskId), overrideDay(nowMs));
}

/** Whether `code` is the kiosk's code for today (compared after computing, in constant time). */
export async function checkOverrideCode(
  overrideSecret: string,
  kioskId: string,
  code: string,
  nowMs: number,
): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const expected = await overrideCode(overrideSecret, kioskId, nowMs);
  let diff = 0;
  for (let i = 0; i < 6; i++) diff |= expected.charCodeAt(i) ^ code.charCodeAt(i);
  return diff === 0;
}
