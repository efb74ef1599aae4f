/** `GET /v1/catalog` as the kiosk reads it (docs/api.md), mapped to the browser's story cards. */
import { z } from "zod";
import { LangSchema, StoryIdSchema } from "../../../protocol/ids.js";
import type { StoryCard } from "./kiosk-machine.js";

const Localized = z.object({ en: z.string(), hi: z.string() });

export const CatalogResponseSchema = z
  .object({
    stories: z.array(
      z.object({
        id: StoryIdSchema,
        title: Localized,
        summary: Localized,
        premium: z.boolean(),
        pricePaise: z.number().int().min(0),
        durationMs: z.number().int().positive(),
        languages: z.array(LangSchema),
        cover: z.string(),
        narration: z.partialRecord(LangSchema, z.string()).optional(),
      }),
    ),
  })
  .transform(({ stories }) => ({
    stories: stories.map(({ cover, ...story }): StoryCard => ({ ...story, coverUrl: cover })),
  }));
