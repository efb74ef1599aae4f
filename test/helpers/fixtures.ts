import type { Catalog, CueSheet } from "../../protocol/catalog.js";

/** A real 4×3 PNG (made with sharp), so content served in tests is an actual image. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWM4YKkNRww4OQASGg2xSCO4RwAAAABJRU5ErkJggg==";

export function tinyPng(): Uint8Array {
  return Uint8Array.from(atob(TINY_PNG_BASE64), (ch) => ch.charCodeAt(0));
}

/** Short stories (about a second) so whole-story tests run on real alarms quickly. */
export const FIXTURE_CATALOG: Catalog = {
  version: 1,
  stories: [
    {
      id: "free-tale",
      title: { en: "A Free Tale", hi: "एक मुफ़्त कथा" },
      summary: { en: "Three pictures.", hi: "तीन चित्र।" },
      premium: false,
      pricePaise: 0,
      durationMs: 900,
      cover: "images/cover.0123abcd.png",
      languages: ["en", "hi"],
    },
    {
      id: "premium-tale",
      title: { en: "A Premium Tale", hi: "एक विशेष कथा" },
      summary: { en: "Locked until paid.", hi: "भुगतान के बाद।" },
      premium: true,
      pricePaise: 4900,
      durationMs: 900,
      cover: "images/cover.0123abcd.png",
      languages: ["en"],
    },
    {
      id: "broken-tale",
      title: { en: "Broken", hi: "टूटी" },
      summary: { en: "Its cue sheet is missing.", hi: "क्यू शीट नहीं है।" },
      premium: false,
      pricePaise: 0,
      durationMs: 900,
      cover: "images/cover.0123abcd.png",
      languages: ["en"],
    },
  ],
};

function sheet(storyId: string, lang: "en" | "hi"): CueSheet {
  return {
    version: 1,
    storyId,
    lang,
    audio: { key: `audio/${storyId}.${lang}.0123abcd.mp3`, contentType: "audio/mpeg", durationMs: 900 },
    cues: [
      { id: "c1", atMs: 0, image: "images/one.0123abcd.png" },
      { id: "c2", atMs: 300, image: "images/two.0123abcd.png" },
      { id: "c3", atMs: 600, image: "images/three.0123abcd.png" },
    ],
    captions: [{ atMs: 0, endMs: 850, text: `Once upon a time (${lang}).` }],
  };
}

export const FIXTURE_CUE_SHEETS: CueSheet[] = [
  sheet("free-tale", "en"),
  sheet("free-tale", "hi"),
  sheet("premium-tale", "en"),
];
