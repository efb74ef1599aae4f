import { z } from "zod";
import type { Lang } from "../../protocol/ids.js";
import { decodeWav } from "./wav.js";

/** One text-to-speech engine: text in, 16-bit mono PCM out (at `sampleRate`). */
export interface TtsProvider {
  /** Goes into the rebuild cache key: changing provider or voice re-renders. */
  readonly id: string;
  readonly sampleRate: number;
  voiceFor(lang: Lang): string;
  synthesize(text: string, lang: Lang): Promise<Int16Array>;
}

/**
 * The embedded default: eSpeak NG compiled to JS (`@echogarden/espeak-ng-emscripten`, GPL-3.0).
 * Works offline with no account. It lives in the build tool only, never in what ships.
 */
export async function createEspeakProvider(): Promise<TtsProvider> {
  const mod = await import("@echogarden/espeak-ng-emscripten");
  const engine = await mod.default();
  const worker = new engine.eSpeakNGWorker();
  const voices: Record<Lang, string> = { en: "en-us", hi: "hi" };
  const sampleRate = worker.get_samplerate();
  return {
    id: "espeak-ng@0.3.5",
    sampleRate,
    voiceFor: (lang) => voices[lang],
    async synthesize(text, lang) {
      worker.set_voice(voices[lang]);
      const chunks: Int16Array[] = [];
      worker.synthesize(text, (samples) => {
        if (samples) chunks.push(new Int16Array(samples));
        return false;
      });
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Int16Array(total);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      if (total === 0) throw new Error(`TTS produced no audio for "${text.slice(0, 40)}"`);
      return out;
    },
  };
}

const WorkersAiConfig = z.object({
  CLOUDFLARE_ACCOUNT_ID: z.string().min(1, "CLOUDFLARE_ACCOUNT_ID is required for TTS_PROVIDER=workers-ai"),
  CLOUDFLARE_API_TOKEN: z.string().min(1, "CLOUDFLARE_API_TOKEN is required for TTS_PROVIDER=workers-ai"),
  TTS_SPEAKER: z.string().default("asteria"),
});

/** Deepgram Aura on Workers AI: English voices; returns no timestamps, so cues come from sample sums. */
export const WORKERS_AI_MODEL = "@cf/deepgram/aura-1";
export const WORKERS_AI_SAMPLE_RATE = 24_000;

/**
 * The managed provider for production: Workers AI text-to-speech over its REST API, asking for
 * linear16 PCM in a WAV container so durations are exact sample counts.
 */
export function createWorkersAiProvider(
  env: Record<string, string | undefined>,
  fetchFn: typeof fetch = fetch,
): TtsProvider {
  const config = WorkersAiConfig.parse(env);
  return {
    id: `workers-ai:${WORKERS_AI_MODEL}:${config.TTS_SPEAKER}`,
    sampleRate: WORKERS_AI_SAMPLE_RATE,
    voiceFor: () => config.TTS_SPEAKER,
    async synthesize(text, lang) {
      if (lang !== "en")
        throw new Error(`${WORKERS_AI_MODEL} speaks English only; use the embedded provider for "${lang}"`);
      const url = `https://api.cloudflare.com/client/v4/accounts/${config.CLOUDFLARE_ACCOUNT_ID}/ai/run/${WORKERS_AI_MODEL}`;
      const res = await fetchFn(url, {
        method: "POST",
        headers: { authorization: `Bearer ${config.CLOUDFLARE_API_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          text,
          speaker: config.TTS_SPEAKER,
          encoding: "linear16",
          container: "wav",
          sample_rate: WORKERS_AI_SAMPLE_RATE,
        }),
      });
      if (!res.ok) throw new Error(`Workers AI TTS failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      const wav = decodeWav(new Uint8Array(await res.arrayBuffer()));
      if (wav.sampleRate !== WORKERS_AI_SAMPLE_RATE)
        throw new Error(`Workers AI TTS returned ${wav.sampleRate} Hz, asked for ${WORKERS_AI_SAMPLE_RATE}`);
      return wav.samples;
    },
  };
}

/** The provider chosen by `TTS_PROVIDER` (`espeak`, the default, or `workers-ai`). */
export async function providerFromEnv(env: Record<string, string | undefined>): Promise<TtsProvider> {
  const choice = env.TTS_PROVIDER ?? "espeak";
  if (choice === "espeak") return createEspeakProvider();
  if (choice === "workers-ai") return createWorkersAiProvider(env);
  throw new Error(`TTS_PROVIDER must be "espeak" or "workers-ai", got "${choice}"`);
}
