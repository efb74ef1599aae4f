/**
 * Image screener CLI (the seed's image-screener service, for a folder):
 *   npm run images:screen -- <folder> [--out <folder>]
 * Checks every file by its bytes (PNG/JPEG/WebP/AVIF), size limits and decodability, converts the
 * good ones to kiosk-safe WebP (≤ 1920×1080) into --out under content-hashed names, and names the
 * problem for each rejected file. Exit code 1 when anything was rejected.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { prepareImage } from "./build.js";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: "string" } } });
const folder = positionals[0];
if (!folder) {
  console.error("usage: npm run images:screen -- <folder> [--out <folder>]");
  process.exit(2);
}
if (values.out) await mkdir(values.out, { recursive: true });
let rejected = 0;
const entries = (await readdir(folder, { withFileTypes: true }))
  .filter((e) => e.isFile())
  .map((e) => e.name)
  .sort();
for (const name of entries) {
  const file = path.join(folder, name);
  try {
    const webp = await prepareImage(file);
    const meta = await sharp(webp).metadata();
    const stem =
      path
        .parse(name)
        .name.toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "") || "image";
    const key = `${stem}.${createHash("sha256").update(webp).digest("hex").slice(0, 16)}.webp`;
    if (values.out) await writeFile(path.join(values.out, key), webp);
    console.log(`✓ ${name} → ${key} (${meta.width}×${meta.height}, ${webp.byteLength} bytes)`);
  } catch (err) {
    rejected++;
    console.log(`✗ ${err instanceof Error ? err.message : String(err)}`);
  }
}
console.log(`${entries.length - rejected} accepted, ${rejected} rejected`);
process.exit(rejected > 0 ? 1 : 0);
