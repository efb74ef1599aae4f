/**
 * Prints today's staff override code for a kiosk (the runbook's "override code, generated daily").
 *   npm run override:code -- ksk_xxxxxxxxxxxxxxxx        (OVERRIDE_SECRET from env, else .dev.vars)
 * Codes change at midnight India time and differ per kiosk.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KioskIdSchema } from "../protocol/ids.js";
import { overrideCode } from "../workers/payments/override-code.js";
import { parseDevVars } from "./lib/dev-vars.js";

const kioskId = KioskIdSchema.safeParse(process.argv[2]);
const vars = parseDevVars(await readFile(path.resolve(import.meta.dirname, "..", ".dev.vars"), "utf8").catch(() => ""));
const secret = process.env.OVERRIDE_SECRET ?? vars.get("OVERRIDE_SECRET");
if (!kioskId.success || !secret) {
  console.error("usage: OVERRIDE_SECRET=… npm run override:code -- <kioskId>");
  process.exit(2);
}
console.log(`${kioskId.data}: ${await overrideCode(secret, kioskId.data, Date.now())} (valid today, India time)`);
