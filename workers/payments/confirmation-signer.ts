import { type Confirmation, type KeySet, PublicKeySchema, toBase64Url } from "../../protocol/confirmation.js";

/** An Ed25519 signing key derived from a secret, with its public JWK and `kid`. */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: KeySet["keys"][number];
}

const encoder = new TextEncoder();
/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * Derives the Ed25519 key of a PAYMENT_SIGN_SECRET (HKDF-SHA256 → 32-byte seed). Deterministic, so
 * every isolate derives the same key and rotating the secret rotates the key.
 */
export async function deriveSigningKey(secret: string): Promise<SigningKey> {
  const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const seed = new Uint8Array(
    await crypto.subtle.deriveBits(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encoder.encode("katha-payment-confirmation"),
        info: encoder.encode("ed25519-v1"),
      },
      ikm,
      256,
    ),
  );
  const pkcs8 = new Uint8Array([...PKCS8_ED25519_PREFIX, ...seed]);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  const x = jwk.x ?? "";
  const kid = toBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(x)))).slice(0, 16);
  const exportable = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  return {
    kid,
    privateKey: exportable,
    publicJwk: PublicKeySchema.parse({ kty: "OKP", crv: "Ed25519", x, kid, alg: "EdDSA", use: "sig" }),
  };
}

/** Signs a confirmation: `base64url(JSON payload).base64url(Ed25519 signature over the first part)`. */
export async function signConfirmation(
  key: SigningKey,
  confirmation: Omit<Confirmation, "v" | "kid">,
): Promise<string> {
  const payload: Confirmation = { v: 1, kid: key.kid, ...confirmation };
  const payloadPart = toBase64Url(encoder.encode(JSON.stringify(payload)));
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, encoder.encode(payloadPart)),
  );
  return `${payloadPart}.${toBase64Url(signature)}`;
}

/** The published key set: the current key first, then previous ones still verifying. */
export function keySet(current: SigningKey, previous: readonly SigningKey[] = []): KeySet {
  return { keys: [current.publicJwk, ...previous.map((k) => k.publicJwk)] };
}
