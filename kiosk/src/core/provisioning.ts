/**
 * A browser kiosk is provisioned once: its credential (`<kioskId>.<secret>`, as minted by
 * `npm run kiosk:register`) is kept in the browser's storage. It arrives either typed on the staff
 * setup screen or in a one-time link `/#provision=<credential>` — in the fragment, so it never
 * reaches a server log — which the page stores and then strips from the address bar.
 */
import { parseKioskCredential } from "../../../protocol/ids.js";

export interface KioskCredential {
  kioskId: string;
  credential: string;
}

export const STORAGE_KEY = "katha.kiosk.credential";

export function parseCredential(text: string): KioskCredential | null {
  const credential = text.trim();
  const parsed = parseKioskCredential(credential);
  return parsed ? { kioskId: parsed.kioskId, credential } : null;
}

/** The credential in a `#provision=` fragment, if any. */
export function credentialFromHash(hash: string): KioskCredential | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const value = params.get("provision");
  return value === null ? null : parseCredential(value);
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadCredential(store: KeyValueStore): KioskCredential | null {
  const saved = store.getItem(STORAGE_KEY);
  return saved === null ? null : parseCredential(saved);
}

export function saveCredential(store: KeyValueStore, credential: KioskCredential): void {
  store.setItem(STORAGE_KEY, credential.credential);
}
