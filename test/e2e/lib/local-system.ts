/**
 * The README's `npm start` on a spare port, exactly as a new user runs it, with its output in a
 * file (the runbook greps these logs). Shared by the end-to-end tests and the kiosk benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDevVars } from "../../../tools/lib/dev-vars.js";
import { stopProcessGroup } from "../../../tools/lib/run.js";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

export interface LocalSystem {
  base: string;
  logPath: string;
  /** The demo kiosk's credential and the admin token, from the `.dev.vars` setup wrote. */
  credential: string;
  adminToken: string;
  stop: () => Promise<void>;
}

export async function startLocalSystem(port: number, timeoutMs = 150_000): Promise<LocalSystem> {
  const logPath = path.join(mkdtempSync(path.join(tmpdir(), "katha-")), "npm-start.log");
  writeFileSync(logPath, "");
  const log = createWriteStream(logPath, { flags: "a" });
  const server: ChildProcess = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const stop = () => stopProcessGroup(server.pid);
  const deadline = Date.now() + timeoutMs;
  while (!readFileSync(logPath, "utf8").includes("Katha is running.")) {
    if (Date.now() > deadline || server.exitCode !== null) {
      await stop();
      throw new Error(`npm start did not come up:\n${readFileSync(logPath, "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const vars = parseDevVars(readFileSync(path.join(ROOT, ".dev.vars"), "utf8"));
  return {
    base: `http://127.0.0.1:${port}`,
    logPath,
    credential: vars.get("DEMO_KIOSK_TOKEN") ?? "",
    adminToken: vars.get("ADMIN_TOKEN") ?? "",
    stop,
  };
}
