/**
 * Kiosk registry CLI.
 *   npm run kiosk:register -- --name "Temple gate" [--remote]   prints the new kiosk id and credential
 *   npm run kiosk:revoke -- ksk_xxx [--remote]
 *   npm run kiosk:list [-- --remote]
 * Local (default) acts on the local D1 that `npm start` uses; --remote on the deployed database
 * through `wrangler d1 execute --remote` (needs `wrangler login`). The credential is shown once and
 * stored only as a SHA-256 hash.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { KioskIdSchema } from "../protocol/ids.js";
import { listKiosks, mintKioskCredential, registerKiosk, revokeKiosk } from "../workers/lib/kiosk-registry.js";
import { withLocalBindings } from "./lib/local-bindings.js";
import { run } from "./lib/run.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { name: { type: "string" }, remote: { type: "boolean", default: false } },
});
const [command, target] = positionals;

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

async function remote(sql: string): Promise<string> {
  return run("npx", ["wrangler", "d1", "execute", "DB", "--remote", "--json", "--command", sql], {
    cwd: ROOT,
    quiet: true,
  });
}

async function withLocalDb<T>(fn: (db: D1Database) => Promise<T>): Promise<T> {
  return withLocalBindings(path.join(ROOT, ".wrangler", "state"), (bindings) => fn(bindings.DB));
}

async function main(): Promise<void> {
  switch (command) {
    case "register": {
      const name = values.name?.trim();
      if (!name) throw new Error('--name "<where the kiosk stands>" is required');
      let kiosk: { kioskId: string; credential: string };
      if (values.remote) {
        const minted = await mintKioskCredential();
        await remote(
          `INSERT INTO kiosks (id, name, token_hash, created_at) VALUES (${sqlString(minted.kioskId)}, ${sqlString(name)}, ${sqlString(minted.tokenHash)}, ${Date.now()})`,
        );
        kiosk = minted;
      } else {
        kiosk = await withLocalDb((db) => registerKiosk(db, name, Date.now()));
      }
      console.log(
        `kiosk id:   ${kiosk.kioskId}\ncredential: ${kiosk.credential}\n(shown once; only its hash is stored)`,
      );
      return;
    }
    case "revoke": {
      const kioskId = KioskIdSchema.parse(target);
      if (values.remote)
        await remote(
          `UPDATE kiosks SET revoked_at = COALESCE(revoked_at, ${Date.now()}) WHERE id = ${sqlString(kioskId)}`,
        );
      else if (!(await withLocalDb((db) => revokeKiosk(db, kioskId, Date.now()))))
        throw new Error(`no kiosk ${kioskId}`);
      console.log(`revoked ${kioskId}`);
      return;
    }
    case "list": {
      if (values.remote) {
        console.log(
          await remote("SELECT id, name, created_at, revoked_at, last_seen_at FROM kiosks ORDER BY created_at"),
        );
        return;
      }
      const kiosks = await withLocalDb((db) => listKiosks(db));
      for (const k of kiosks)
        console.log(
          `${k.id}  ${k.revoked_at ? "REVOKED" : "active "}  ${k.name}  last seen ${k.last_seen_at ? new Date(k.last_seen_at).toISOString() : "never"}`,
        );
      return;
    }
    default:
      throw new Error("usage: kiosk-admin register --name <name> | revoke <kioskId> | list   [--remote]");
  }
}

main().catch((err: unknown) => {
  console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
