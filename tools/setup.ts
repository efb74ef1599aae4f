/**
 * Local setup (`npm run setup`, also the first step of `npm start`):
 *  1. writes `.dev.vars` with fresh random secrets when missing (never fixed demo secrets),
 *  2. validates the configuration the Worker will see,
 *  3. applies D1 migrations to the local database,
 *  4. loads r2-assets/ into local R2 (only what changed),
 *  5. registers the demo kiosk and records DEMO_KIOSK_ID / DEMO_KIOSK_TOKEN in `.dev.vars`.
 * Idempotent: running it again changes nothing that is already in place.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError, parseConfig } from "../workers/lib/config.js";
import { registerKiosk, verifyKioskCredential } from "../workers/lib/kiosk-registry.js";
import { ensureDevVars, writeDevVars } from "./lib/dev-vars.js";
import { withLocalBindings } from "./lib/local-bindings.js";
import { listLocalContent, syncContent } from "./lib/local-content.js";
import { run } from "./lib/run.js";
import { readWranglerVars } from "./lib/wrangler-vars.js";

export const ROOT = path.resolve(import.meta.dirname, "..");

export interface SetupOptions {
  /** Where local state lives (wrangler's `--persist-to`); default `.wrangler/state`. */
  persistTo?: string;
  quiet?: boolean;
}

export interface SetupResult {
  vars: Map<string, string>;
  demoKiosk: { kioskId: string; credential: string };
}

export async function setupLocal(options: SetupOptions = {}): Promise<SetupResult> {
  const log = (line: string) => {
    if (!options.quiet) console.log(line);
  };
  const persistTo = options.persistTo ?? path.join(ROOT, ".wrangler", "state");
  const devVarsFile = path.join(ROOT, ".dev.vars");

  const { vars, added } = await ensureDevVars(devVarsFile);
  log(added.length > 0 ? `✓ .dev.vars: generated ${added.join(", ")}` : "✓ .dev.vars: present");

  const merged = { ...(await readWranglerVars(path.join(ROOT, "wrangler.toml"))), ...Object.fromEntries(vars) };
  try {
    parseConfig(merged);
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new Error(`${err.message}\n  (fix .dev.vars or wrangler.toml [vars], or delete the line to regenerate it)`);
    }
    throw err;
  }
  log("✓ configuration valid");

  await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    cwd: ROOT,
    quiet: true,
  });
  log("✓ D1 migrations applied (local)");

  return withLocalBindings(persistTo, async (bindings) => {
    const objects = await listLocalContent(path.join(ROOT, "r2-assets"));
    const synced = await syncContent(bindings.CONTENT, objects);
    log(`✓ R2 content: ${synced.uploaded} uploaded, ${synced.unchanged} unchanged`);

    const existing = vars.get("DEMO_KIOSK_TOKEN");
    const stillValid = existing ? (await verifyKioskCredential(bindings.DB, existing)).ok : false;
    let demoKiosk: SetupResult["demoKiosk"];
    if (stillValid && existing && vars.get("DEMO_KIOSK_ID")) {
      demoKiosk = { kioskId: vars.get("DEMO_KIOSK_ID") ?? "", credential: existing };
      log(`✓ demo kiosk ${demoKiosk.kioskId} registered`);
    } else {
      demoKiosk = await registerKiosk(bindings.DB, "Demo kiosk (local)", Date.now());
      vars.set("DEMO_KIOSK_ID", demoKiosk.kioskId);
      vars.set("DEMO_KIOSK_TOKEN", demoKiosk.credential);
      await writeDevVars(devVarsFile, vars);
      log(`✓ demo kiosk ${demoKiosk.kioskId} registered; credential written to .dev.vars`);
    }
    return { vars, demoKiosk };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  setupLocal().catch((err: unknown) => {
    console.error(`✗ setup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
