/**
 * How long after its requestAnimationFrame timestamp a frame's content reaches the screen, measured
 * on this device with the Element Timing API (an image's `renderTime` against the frame that set
 * it). The scheduler places each image in the frame whose presentation is nearest its cue, so this
 * lag is what it plans with. Starts at one 60 Hz frame until measured, then follows the display.
 */
const DEFAULT_LAG_MS = 1000 / 60;
const WINDOW = 15;
/** Beyond this a sample is a stalled paint, not the display pipeline. */
const MAX_PLAUSIBLE_LAG_MS = 100;

const samples: number[] = [];
const pendingFrames = new Map<string, number>();

/**
 * The lag to plan with: a low quantile of recent samples. A slow paint (a large image rastered on a
 * busy machine) is not the display's lag, and planning with it would show every later image early.
 */
function plannedLag(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 4)] ?? DEFAULT_LAG_MS;
}

if (typeof PerformanceObserver !== "undefined" && PerformanceObserver.supportedEntryTypes?.includes("element")) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { identifier?: string; renderTime?: number }>) {
      const frameTime = entry.identifier ? pendingFrames.get(entry.identifier) : undefined;
      if (frameTime === undefined || !entry.renderTime) continue;
      pendingFrames.delete(entry.identifier ?? "");
      const lag = entry.renderTime - frameTime;
      if (lag < 0 || lag > MAX_PLAUSIBLE_LAG_MS) continue;
      samples.push(lag);
      if (samples.length > WINDOW) samples.shift();
    }
  }).observe({ type: "element", buffered: false });
}

let calibrationImage: Promise<string> | null = null;

/**
 * A screen-sized image in the page's background colour, behind everything: invisible, but rastered
 * and painted like a cue image (a tiny one paints faster and would under-measure the lag).
 */
function calibrationSource(): Promise<string> {
  calibrationImage ??= new Promise((resolve, reject) => {
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, window.innerWidth);
    canvas.height = Math.max(1, window.innerHeight);
    const context = canvas.getContext("2d");
    if (!context) return reject(new Error("no 2d canvas"));
    context.fillStyle = getComputedStyle(document.body).backgroundColor || "#000";
    context.fillRect(0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => (blob ? resolve(URL.createObjectURL(blob)) : reject(new Error("toBlob failed"))));
  });
  return calibrationImage;
}

let calibrationRound = 0;

export const presentationLag = {
  current: (): number => (samples.length >= 3 ? plannedLag(samples) : DEFAULT_LAG_MS),
  /**
   * Measures the lag before it matters (at start-up and when a visitor arrives): a few invisible
   * images are put on screen in successive frames, exactly as cue images are.
   */
  async calibrate(rounds = 5): Promise<void> {
    let source: string;
    try {
      source = await calibrationSource();
      const probe = new Image();
      probe.src = source;
      await probe.decode();
    } catch {
      return; // no canvas: keep the default
    }
    for (let i = 0; i < rounds; i++) {
      await new Promise<void>((resolve) =>
        requestAnimationFrame((frameTime) => {
          const image = new Image();
          const identifier = `calibration:${++calibrationRound}`;
          image.setAttribute("elementtiming", identifier);
          image.style.cssText = "position:fixed;inset:0;width:100%;height:100%;z-index:-1;pointer-events:none";
          image.src = source;
          document.body.append(image);
          presentationLag.expect(identifier, frameTime);
          setTimeout(() => {
            image.remove();
            resolve();
          }, 120);
        }),
      );
    }
  },
  /** The image `identifier` (its `elementtiming`) was put on screen in the frame at `frameTime`. */
  expect(identifier: string, frameTime: number): void {
    pendingFrames.set(identifier, frameTime);
    if (pendingFrames.size > 50) pendingFrames.delete(pendingFrames.keys().next().value ?? "");
  },
};
