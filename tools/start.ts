/**
 * `npm start`: local setup, then `wrangler dev` on 127.0.0.1:8787 (Worker + KioskSession DO +
 * local R2/D1). Prints how to reach the system once /health answers.
 */
import { spawn } from "node:child_process";
import { run } from "./lib/run.js";
import { ROOT, setupLocal } from "./setup.js";

const PORT = Number(process.env.PORT ?? 8787);
const BASE = `http://127.0.0.1:${PORT}`;

async function waitForHealth(timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${BASE}/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
}

async function main(): Promise<void> {
  const { demoKiosk } = await setupLocal();
  console.log("• building the kiosk app (kiosk/ → kiosk/dist)");
  await run("npx", ["vite", "build", "--config", "kiosk/vite.config.ts", "--logLevel", "warn"], { cwd: ROOT });
  const dev = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", String(PORT)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  dev.on("exit", (code) => process.exit(code ?? 0));
  if (await waitForHealth(60_000)) {
    console.log(
      [
        "",
        "Katha is running.",
        `  health:      ${BASE}/health`,
        `  catalog:     ${BASE}/v1/catalog`,
        `  kiosk app:   ${BASE}/`,
        `  provision this browser as the demo kiosk (one-time link; the credential stays in the browser):`,
        `               ${BASE}/#provision=${demoKiosk.credential}`,
        `  demo kiosk:  ${demoKiosk.kioskId} (credential in .dev.vars as DEMO_KIOSK_TOKEN)`,
        "  play a story from a scripted kiosk:  npm run demo:play -- churning-of-the-ocean",
        "",
      ].join("\n"),
    );
  } else {
    console.error(`✗ ${BASE}/health did not answer within 60 s; see wrangler's output above`);
  }
}

main().catch((err: unknown) => {
  console.error(`✗ start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
