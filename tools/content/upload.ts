/**
 * Deploy step for content: uploads r2-assets/ (images, audio, cue sheets, then the catalog) to a
 * running edge through its admin API, skipping objects whose SHA-256 is already there.
 *   ADMIN_TOKEN=… npm run content:upload -- --url https://katha.example.workers.dev
 * Without --url it targets the local `npm start` (token from .dev.vars).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseDevVars } from "../lib/dev-vars.js";
import { type BucketLike, listLocalContent, syncContent } from "../lib/local-content.js";

/** An R2-like bucket over the edge's admin content API. */
export function adminApiBucket(baseUrl: string, adminToken: string, fetchFn: typeof fetch = fetch): BucketLike {
  const auth = { authorization: `Bearer ${adminToken}` };
  return {
    async head(key) {
      const res = await fetchFn(`${baseUrl}/v1/admin/content/${key}`, { headers: auth });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`checking ${key} failed: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { sha256: string | null };
      const customMetadata: Record<string, string> = body.sha256 ? { sha256: body.sha256 } : {};
      return { customMetadata };
    },
    async put(key, value, options) {
      const res = await fetchFn(`${baseUrl}/v1/admin/content/${key}`, {
        method: "PUT",
        headers: {
          ...auth,
          "content-type": options.httpMetadata.contentType,
          "x-content-sha256": options.customMetadata.sha256 ?? "",
        },
        body: value,
      });
      if (!res.ok) throw new Error(`uploading ${key} failed: HTTP ${res.status} ${await res.text()}`);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const root = path.resolve(import.meta.dirname, "..", "..");
  const { values } = parseArgs({ options: { url: { type: "string", default: "http://127.0.0.1:8787" } } });
  const devVars = parseDevVars(await readFile(path.join(root, ".dev.vars"), "utf8").catch(() => ""));
  const token = process.env.ADMIN_TOKEN ?? devVars.get("ADMIN_TOKEN");
  if (!token) {
    console.error("✗ set ADMIN_TOKEN (the deployed Worker's admin token)");
    process.exit(1);
  }
  const objects = await listLocalContent(path.join(root, "r2-assets"));
  const result = await syncContent(adminApiBucket(values.url ?? "", token), objects).catch((err: unknown) => {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
  console.log(`✓ ${values.url}: ${result.uploaded} uploaded, ${result.unchanged} already present`);
}
