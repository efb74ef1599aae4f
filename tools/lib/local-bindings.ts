import path from "node:path";
import { Miniflare } from "miniflare";

/** database_id and bucket_name from wrangler.toml: local state is keyed by them. */
const D1_DATABASE_ID = "6b1f6a0e-4a1d-4c55-9a2e-6b6174686100";
const R2_BUCKET_NAME = "katha-content";

/**
 * The local R2 bucket and D1 database exactly as `wrangler dev --persist-to <persistTo>` sees them,
 * without starting the Worker or its Durable Objects (whose stored alarms would otherwise fire
 * in this helper process).
 */
export async function withLocalBindings<T>(
  persistTo: string,
  fn: (bindings: { CONTENT: R2Bucket; DB: D1Database }) => Promise<T>,
): Promise<T> {
  const state = path.join(persistTo, "v3");
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null, { status: 404 }); } };",
    r2Buckets: { CONTENT: R2_BUCKET_NAME },
    d1Databases: { DB: D1_DATABASE_ID },
    r2Persist: path.join(state, "r2"),
    d1Persist: path.join(state, "d1"),
  });
  try {
    // SAFETY: Miniflare's binding proxies implement the workers-types interfaces.
    const CONTENT = (await mf.getR2Bucket("CONTENT")) as unknown as R2Bucket;
    const DB = (await mf.getD1Database("DB")) as unknown as D1Database;
    return await fn({ CONTENT, DB });
  } finally {
    await mf.dispose();
  }
}
