import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { LangSchema, StoryIdSchema } from "../../protocol/ids.js";
import { parseScript, type ScriptSegment } from "./script-parser.js";

const Localized = z.object({ en: z.string().min(1).max(200), hi: z.string().min(1).max(200) });

/** `r2-assets/stories/<id>/story.json`: what the catalog says about a story. */
export const StorySourceSchema = z.object({
  id: StoryIdSchema,
  title: Localized,
  summary: Localized,
  pricePaise: z.number().int().min(0).max(10_000_000),
  /** Name of the image (in images/) used as the cover. */
  cover: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  languages: z.array(LangSchema).min(1),
});
export type StorySource = z.infer<typeof StorySourceSchema>;

export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".webp", ".avif"];

/** A story's source, checked: metadata, one script per language, an image file for every cue. */
export interface LoadedStory {
  dir: string;
  meta: StorySource;
  scripts: Map<StorySource["languages"][number], ScriptSegment[]>;
  /** image name → file path */
  images: Map<string, string>;
}

export class ContentBuildError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "ContentBuildError";
  }
}

function findImage(dir: string, name: string): string | null {
  for (const ext of IMAGE_EXTENSIONS) {
    const file = path.join(dir, "images", `${name}${ext}`);
    if (existsSync(file)) return file;
  }
  return null;
}

/** Reads and checks one story folder; every problem names the file it is in. */
export async function loadStory(dir: string): Promise<LoadedStory> {
  const metaFile = path.join(dir, "story.json");
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(metaFile, "utf8"));
  } catch (err) {
    throw new ContentBuildError(metaFile, err instanceof SyntaxError ? "is not valid JSON" : "is missing");
  }
  const parsed = StorySourceSchema.safeParse(raw);
  if (!parsed.success) throw new ContentBuildError(metaFile, z.prettifyError(parsed.error).replace(/\n/g, " "));
  const meta = parsed.data;
  if (path.basename(dir) !== meta.id)
    throw new ContentBuildError(metaFile, `id "${meta.id}" must match its folder name`);

  const scripts = new Map<StorySource["languages"][number], ScriptSegment[]>();
  const images = new Map<string, string>();
  const need = new Set<string>([meta.cover]);
  for (const lang of meta.languages) {
    const scriptFile = path.join(dir, `script.${lang}.txt`);
    if (!existsSync(scriptFile)) throw new ContentBuildError(scriptFile, `is missing (story lists language "${lang}")`);
    const segments = parseScript(await readFile(scriptFile, "utf8"), scriptFile);
    for (const segment of segments) {
      need.add(segment.cueId);
      if (!findImage(dir, segment.cueId))
        throw new ContentBuildError(
          scriptFile,
          `line ${segment.line}: cue {{${segment.cueId}}} has no image images/${segment.cueId}.(png|jpg|webp|avif)`,
        );
    }
    scripts.set(lang, segments);
  }
  for (const name of need) {
    const file = findImage(dir, name);
    if (!file) throw new ContentBuildError(metaFile, `cover image images/${name}.(png|jpg|webp|avif) is missing`);
    images.set(name, file);
  }
  return { dir, meta, scripts, images };
}
