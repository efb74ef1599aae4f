/**
 * How long after its requestAnimationFrame timestamp a frame's content reaches the screen, measured
 * on this device with the Element Timing API (an image's `renderTime` against the frame that set
 * it). The scheduler places each image in the frame whose presentation is nearest its cue, so this
 * lag is what it plans with. Starts at one 60 Hz frame until measured; a running median of recent
 * samples follows the display.
 */
const DEFAULT_LAG_MS = 1000 / 60;
const WINDOW = 15;

const samples: number[] = [];
const pendingFrames = new Map<string, number>();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? DEFAULT_LAG_MS;
}

if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes?.includes("element")) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { identifier?: string; renderTime?: number }>) {
      const frameTime = entry.identifier ? pendingFrames.get(entry.identifier) : undefined;
      if (frameTime === undefined || !entry.renderTime) continue;
      pendingFrames.delete(entry.identifier ?? "");
      const lag = entry.renderTime - frameTime;
      if (lag < 0 || lag > 200) continue;
      samples.push(lag);
      if (samples.length > WINDOW) samples.shift();
    }
  }).observe({ type: "element", buffered: false });
}

export const presentationLag = {
  current: (): number => (samples.length >= 3 ? median(samples) : DEFAULT_LAG_MS),
  /** The image `identifier` (its `elementtiming`) was put on screen in the frame at `frameTime`. */
  expect(identifier: string, frameTime: number): void {
    pendingFrames.set(identifier, frameTime);
    if (pendingFrames.size > 50) pendingFrames.delete(pendingFrames.keys().next().value ?? "");
  },
};
