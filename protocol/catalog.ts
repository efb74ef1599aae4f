import { z } from "zod";
import { ContentKeySchema, LangSchema, StoryIdSchema } from "./ids.js";

const Localized = z.object({ en: z.string().min(1).max(200), hi: z.string().min(1).max(200) });

/** One story's fields in the catalog (R2 `catalog.json`). Prices are in paise. */
const StoryFieldsSchema = z.object({
  id: StoryIdSchema,
  title: Localized,
  summary: Localized,
  premium: z.boolean(),
  pricePaise: z.number().int().min(0).max(10_000_000),
  durationMs: z.number().int().positive(),
  cover: ContentKeySchema,
  languages: z.array(LangSchema).min(1),
  /**
   * Narration audio per language, for free stories only: kiosks fetch it ahead while a visitor
   * browses. Premium narration is never listed (the public catalog must not hand out paid audio).
   */
  narration: z.partialRecord(LangSchema, ContentKeySchema).optional(),
});

export const StorySchema = StoryFieldsSchema.refine((s) => s.premium === s.pricePaise > 0, {
  message: "a premium story must have a price and a free story must not",
  path: ["pricePaise"],
}).refine((s) => !s.premium || s.narration === undefined, {
  message: "a premium story's narration must not be listed in the catalog",
  path: ["narration"],
});
export type Story = z.infer<typeof StorySchema>;

export const CatalogSchema = z
  .object({
    version: z.literal(1),
    stories: z.array(StorySchema),
  })
  .refine((c) => new Set(c.stories.map((s) => s.id)).size === c.stories.length, {
    message: "story ids must be unique",
    path: ["stories"],
  });
export type Catalog = z.infer<typeof CatalogSchema>;

/**
 * `GET /v1/catalog` as served to kiosks: the catalog's stories with content keys turned into URLs on
 * the serving origin, and the currency.
 */
export const CatalogResponseSchema = z.object({
  stories: z.array(
    StoryFieldsSchema.extend({
      currency: z.literal("INR"),
      cover: z.string(),
      narration: z.partialRecord(LangSchema, z.string()).optional(),
    }),
  ),
});
export type CatalogResponse = z.infer<typeof CatalogResponseSchema>;

/** One image cue: the image must be on screen from `atMs` into the narration audio. */
export const CueSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  atMs: z.number().int().min(0),
  image: ContentKeySchema,
});
export type Cue = z.infer<typeof CueSchema>;

/** One caption span on the narration's timeline. */
export const CaptionSchema = z.object({
  atMs: z.number().int().min(0),
  endMs: z.number().int().positive(),
  text: z.string().min(1).max(500),
});
export type Caption = z.infer<typeof CaptionSchema>;

/**
 * A cue sheet (R2 `cues/<storyId>.<lang>.json`): which image shows at which instant of the
 * narration audio. Produced by the content pipeline; times are offsets into the audio.
 */
export const CueSheetSchema = z
  .object({
    version: z.literal(1),
    storyId: StoryIdSchema,
    lang: LangSchema,
    audio: z.object({
      key: ContentKeySchema,
      contentType: z.string().min(1).max(100),
      durationMs: z.number().int().positive(),
    }),
    cues: z.array(CueSchema).min(1),
    captions: z.array(CaptionSchema).default([]),
  })
  .superRefine((sheet, ctx) => {
    const ids = new Set<string>();
    let previous = -1;
    sheet.cues.forEach((cue, i) => {
      if (ids.has(cue.id))
        ctx.addIssue({ code: "custom", message: `duplicate cue id ${cue.id}`, path: ["cues", i, "id"] });
      ids.add(cue.id);
      if (cue.atMs < previous)
        ctx.addIssue({ code: "custom", message: "cues must be sorted by atMs", path: ["cues", i, "atMs"] });
      if (cue.atMs >= sheet.audio.durationMs)
        ctx.addIssue({ code: "custom", message: "cue lies beyond the end of the audio", path: ["cues", i, "atMs"] });
      previous = cue.atMs;
    });
    sheet.captions.forEach((caption, i) => {
      if (caption.endMs <= caption.atMs || caption.endMs > sheet.audio.durationMs)
        ctx.addIssue({
          code: "custom",
          message: "caption must end after it starts, within the audio",
          path: ["captions", i],
        });
    });
  });
export type CueSheet = z.infer<typeof CueSheetSchema>;

/** R2 key of a story's cue sheet for one language. */
export function cueSheetKey(storyId: string, lang: string): string {
  return `cues/${storyId}.${lang}.json`;
}

/** R2 key of the catalog. */
export const CATALOG_KEY = "catalog.json";
