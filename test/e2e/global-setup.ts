/**
 * One local system for every end-to-end test: the README's `npm start` on a spare port, exactly as
 * a new user runs it. Its output goes to a file the tests read (the runbook greps these logs).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    serverLogPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const port = 18_000 + Math.floor(Math.random() * 1_000);
  const logPath = path.join(mkdtempSync(path.join(tmpdir(), "katha-e2e-")), "npm-start.log");
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
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  };
  const deadline = Date.now() + 150_000;
  while (!readFileSync(logPath, "utf8").includes("Katha is running.")) {
    if (Date.now() > deadline || server.exitCode !== null) {
      stop();
      throw new Error(`npm start did not come up:\n${readFileSync(logPath, "utf8")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  project.provide("serverLogPath", logPath);
  return stop;
}
