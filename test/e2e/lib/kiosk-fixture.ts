/** What the browser tests need from the local system: admin calls, kiosks, the simulator. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDevVars } from "../../../tools/lib/dev-vars.js";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export function devVars(): Map<string, string> {
  return parseDevVars(readFileSync(path.join(ROOT, ".dev.vars"), "utf8"));
}

export interface TestKiosk {
  kioskId: string;
  credential: string;
}

async function admin(base: string, method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${devVars().get("ADMIN_TOKEN")}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A fresh kiosk per test: override lockouts and sessions never leak between tests or runs. */
export async function registerKiosk(base: string, name: string): Promise<TestKiosk> {
  const response = await admin(base, "POST", "/v1/admin/kiosks", { name });
  if (response.status !== 201) throw new Error(`kiosk registration failed: ${response.status}`);
  return (await response.json()) as TestKiosk;
}

export async function revokeKiosk(base: string, kioskId: string): Promise<void> {
  const response = await admin(base, "POST", `/v1/admin/kiosks/${kioskId}/revoke`);
  if (!response.ok) throw new Error(`revoke failed: ${response.status}`);
}

export interface SessionView {
  status: string;
  story: { storyId: string; audioStartedAt: number | null } | null;
  unlocked: string[];
  connections: number;
  sync: { count: number; p95AbsMs: number | null; maxAbsMs: number | null };
}

export async function sessionSnapshot(base: string, kiosk: TestKiosk, sessionId: string): Promise<SessionView> {
  const response = await fetch(`${base}/v1/sessions/${sessionId}`, {
    headers: { authorization: `Bearer ${kiosk.credential}` },
  });
  if (!response.ok) throw new Error(`snapshot failed: ${response.status}`);
  return (await response.json()) as SessionView;
}

/** Pays a QR in the local PSP simulator, as a visitor's phone would (qrId is the UPI `tr`). */
export async function payInSimulator(base: string, upiUri: string): Promise<void> {
  const qrId = /[?&]tr=([^&]+)/.exec(upiUri)?.[1];
  if (!qrId) throw new Error(`no QR id in ${upiUri}`);
  const response = await fetch(`${base}/simulator/qr/${qrId}/pay`, { method: "POST" });
  if (!response.ok) throw new Error(`simulator refused to pay: ${response.status} ${await response.text()}`);
}
