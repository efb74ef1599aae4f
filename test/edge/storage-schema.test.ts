import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { migrate, SCHEMA_VERSION } from "../../durable-objects/kiosk-session/storage-schema.js";

describe("KioskSession storage migrations", () => {
  it("upgrades an object created at version 1 in place, keeping its rows", async () => {
    const stub = env.KIOSK_SESSION.get(env.KIOSK_SESSION.idFromName("migration-test"));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      // Rewind this object to what version 1 created.
      sql.exec("DROP TABLE IF EXISTS payments");
      sql.exec("UPDATE schema_version SET version = 1");
      sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', 'kept')");
      migrate(sql);
      migrate(sql);
      expect(sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray()).toEqual([
        { version: SCHEMA_VERSION },
      ]);
      const columns = sql
        .exec<{ name: string }>("PRAGMA table_info(payments)")
        .toArray()
        .map((c) => c.name);
      expect(columns).toContain("next_poll_at");
      expect(sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'probe'").one().value).toBe("kept");
    });
  });
});
