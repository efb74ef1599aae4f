import { z } from "zod";
import {
  CATALOG_KEY,
  type Catalog,
  CatalogSchema,
  type CueSheet,
  CueSheetSchema,
  cueSheetKey,
} from "../../protocol/catalog.js";

/** Why content could not be read: missing object, or an object that fails its schema. */
export class ContentError extends Error {
  constructor(
    readonly reason: "missing" | "invalid",
    readonly key: string,
    detail: string,
  ) {
    super(`${key}: ${detail}`);
    this.name = "ContentError";
  }
}

async function readJson<S extends z.ZodType>(bucket: R2Bucket, key: string, schema: S): Promise<z.infer<S>> {
  const object = await bucket.get(key);
  if (object === null) throw new ContentError("missing", key, "not found in R2");
  let data: unknown;
  try {
    data = await object.json();
  } catch {
    throw new ContentError("invalid", key, "is not valid JSON");
  }
  const result = schema.safeParse(data);
  if (!result.success)
    throw new ContentError("invalid", key, z.prettifyError(result.error).split("\n")[0] ?? "invalid");
  return result.data;
}

/** The story catalog from R2. */
export function loadCatalog(bucket: R2Bucket): Promise<Catalog> {
  return readJson(bucket, CATALOG_KEY, CatalogSchema);
}

/** One story's cue sheet for a language; its storyId/lang must match the key it came from. */
export async function loadCueSheet(bucket: R2Bucket, storyId: string, lang: string): Promise<CueSheet> {
  const key = cueSheetKey(storyId, lang);
  const sheet = await readJson(bucket, key, CueSheetSchema);
  if (sheet.storyId !== storyId || sheet.lang !== lang)
    throw new ContentError("invalid", key, "storyId/lang inside the sheet do not match its key");
  return sheet;
}

/**
 * Public URL of an R2 content key: `images/…` is served at `/images/…`, `audio/…` at `/audio/…`.
 */
export function publicUrlForKey(baseUrl: string, key: string): string {
  return `${baseUrl.replace(/\/$/, "")}/${key}`;
}
