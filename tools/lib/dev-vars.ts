import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";

/** Parses a `.dev.vars` (dotenv) file: `KEY=value` lines, `#` comments, optional quotes. */
export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Z_][A-Z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    let value = match[2] ?? "";
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
      value = value.slice(1, -1);
    vars.set(match[1], value);
  }
  return vars;
}

export function serializeDevVars(vars: Map<string, string>): string {
  const lines = [
    "# Local secrets for `wrangler dev` (written by `npm run setup`; never commit this file).",
    "# Delete a line and run setup again to get a fresh value.",
  ];
  for (const [key, value] of vars) lines.push(`${key}=${value}`);
  return `${lines.join("\n")}\n`;
}

const token = (bytes = 32) => randomBytes(bytes).toString("base64url");

/**
 * Every local secret, each a fresh random value. PSP values are test-shaped placeholders so the
 * webhook verifiers have keys; they reach no real account.
 */
export const SECRET_GENERATORS: Record<string, () => string> = {
  // Not a secret: the local default PSP (wrangler.toml's [vars] names the production one).
  PSP_PROVIDER: () => "simulator",
  ADMIN_TOKEN: () => token(),
  LIVEKIT_API_KEY: () => `API${randomBytes(6).toString("hex")}`,
  LIVEKIT_API_SECRET: () => token(),
  WEBHOOK_SECRET: () => token(),
  PAYMENT_SIGN_SECRET: () => token(),
  OVERRIDE_SECRET: () => token(),
  RAZORPAY_KEY_ID: () => `rzp_test_${randomBytes(7).toString("hex")}`,
  RAZORPAY_KEY_SECRET: () => token(18),
  CASHFREE_APP_ID: () => `TEST${randomBytes(10).toString("hex")}`,
  CASHFREE_SECRET_KEY: () => `cfsk_ma_test_${token(24)}`,
};

/** Reads `.dev.vars`, adds any missing secret with a fresh value, writes it back. */
export async function ensureDevVars(file: string): Promise<{ vars: Map<string, string>; added: string[] }> {
  const vars = existsSync(file) ? parseDevVars(await readFile(file, "utf8")) : new Map<string, string>();
  const added: string[] = [];
  for (const [key, generate] of Object.entries(SECRET_GENERATORS)) {
    if (!vars.get(key)) {
      vars.set(key, generate());
      added.push(key);
    }
  }
  if (added.length > 0) await writeFile(file, serializeDevVars(vars), { mode: 0o600 });
  return { vars, added };
}

export async function writeDevVars(file: string, vars: Map<string, string>): Promise<void> {
  await writeFile(file, serializeDevVars(vars), { mode: 0o600 });
}
