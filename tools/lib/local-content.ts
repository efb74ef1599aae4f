import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".webp": "image/webp",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".avif": "image/avif",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".opus": "audio/ogg",
  ".wav": "audio/wav",
};

/**
 * Top-level entries of r2-assets/ that are R2 content (stories/ is source). In upload order: what
 * the catalog points at goes first, so R2 never lists a story whose files are not there yet.
 */
const PUBLISHED = ["images", "audio", "cues", "catalog.json"];

export interface LocalObject {
  key: string;
  file: string;
  contentType: string;
  sha256: string;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Every publishable file under `root` with its R2 key (its path relative to root). */
export async function listLocalContent(root: string): Promise<LocalObject[]> {
  const objects: LocalObject[] = [];
  for (const top of PUBLISHED) {
    const full = path.join(root, top);
    const files = top.endsWith(".json") ? [full] : await walk(full);
    for (const file of files) {
      const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
      if (!contentType) continue;
      const bytes = await readFile(file).catch(() => null);
      if (bytes === null) continue;
      objects.push({
        key: path.relative(root, file).split(path.sep).join("/"),
        file,
        contentType,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
    }
  }
  return objects;
}

/** Minimal view of an R2 bucket binding (the platform proxy's). */
export interface BucketLike {
  head(key: string): Promise<{ customMetadata?: Record<string, string> } | null>;
  put(
    key: string,
    value: ArrayBuffer | Uint8Array,
    options: { httpMetadata: { contentType: string }; customMetadata: Record<string, string> },
  ): Promise<unknown>;
}

/** Uploads what changed (by SHA-256 in custom metadata); returns counts. */
export async function syncContent(
  bucket: BucketLike,
  objects: LocalObject[],
): Promise<{ uploaded: number; unchanged: number }> {
  let uploaded = 0;
  let unchanged = 0;
  for (const object of objects) {
    const existing = await bucket.head(object.key);
    if (existing?.customMetadata?.sha256 === object.sha256) {
      unchanged++;
      continue;
    }
    const bytes = await readFile(object.file);
    await bucket.put(object.key, new Uint8Array(bytes), {
      httpMetadata: { contentType: object.contentType },
      customMetadata: { sha256: object.sha256 },
    });
    uploaded++;
  }
  return { uploaded, unchanged };
}
