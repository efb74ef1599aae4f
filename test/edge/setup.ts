import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { CATALOG_KEY, cueSheetKey } from "../../protocol/catalog.js";
import { FIXTURE_CATALOG, FIXTURE_CUE_SHEETS, tinyPng } from "../helpers/fixtures.js";

// Storage is isolated per test file: every file starts from the migrated schema and the fixtures.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await env.CONTENT.put(CATALOG_KEY, JSON.stringify(FIXTURE_CATALOG), {
  httpMetadata: { contentType: "application/json" },
});
for (const sheet of FIXTURE_CUE_SHEETS) {
  await env.CONTENT.put(cueSheetKey(sheet.storyId, sheet.lang), JSON.stringify(sheet));
}
for (const key of [
  "images/cover.0123abcd.png",
  "images/one.0123abcd.png",
  "images/two.0123abcd.png",
  "images/three.0123abcd.png",
]) {
  await env.CONTENT.put(key, tinyPng(), { httpMetadata: { contentType: "image/png" } });
}
