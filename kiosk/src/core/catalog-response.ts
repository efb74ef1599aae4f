/** `GET /v1/catalog` (protocol/catalog.ts) mapped to the browser's story cards. */
import { CatalogResponseSchema } from "../../../protocol/catalog.js";
import type { StoryCard } from "./kiosk-machine.js";

export const CatalogCardsSchema = CatalogResponseSchema.transform(({ stories }) => ({
  stories: stories.map(({ cover, currency: _currency, ...story }): StoryCard => ({ ...story, coverUrl: cover })),
}));
