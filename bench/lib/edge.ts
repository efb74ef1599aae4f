import { type ChildProcess, spawn } from "node:child_process";
import { stopProcessGroup } from "../../tools/lib/run.js";
import { ROOT, setupLocal } from "../../tools/setup.js";

export interface RunningEdge {
  base: string;
  kioskId: string;
  credential: string;
  adminToken: string;
  stop: () => Promise<void>;
}

/** `npm run setup` then `wrangler dev` on `port` with extra vars; resolves once /health answers. */
export async function startEdge(port: number, vars: Record<string, string> = {}): Promise<RunningEdge> {
  const { demoKiosk, vars: devVars } = await setupLocal({ quiet: true });
  const varArgs = Object.entries({ LOG_LEVEL: "warn", ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(
    "npx",
    ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(port), ...varArgs],
    {
      cwd: ROOT,
      stdio: "ignore",
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error("wrangler dev did not start");
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    base,
    kioskId: demoKiosk.kioskId,
    credential: demoKiosk.credential,
    adminToken: devVars.get("ADMIN_TOKEN") ?? "",
    stop: () => stopProcessGroup(child.pid),
  };
}
