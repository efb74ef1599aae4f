import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { screenImage, sniffImage } from "../../workers/lib/image-sniff.js";

const make = (format: "png" | "jpeg" | "webp" | "avif", width = 800, height = 450) =>
  sharp({ create: { width, height, channels: 3, background: "#336699" } })
    .toFormat(format)
    .toBuffer()
    .then((b) => new Uint8Array(b));

describe("image sniffing and screening (real files made with sharp)", () => {
  const files: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    for (const f of ["png", "jpeg", "webp", "avif"] as const) files[f] = await make(f);
    files.lossless = new Uint8Array(
      await sharp(await make("png", 700, 400))
        .webp({ lossless: true })
        .toBuffer(),
    );
    files.alpha = new Uint8Array(
      await sharp({ create: { width: 900, height: 500, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } })
        .webp()
        .toBuffer(),
    );
  });

  it.each(["png", "jpeg", "webp", "avif"] as const)("identifies %s by content with its dimensions", (format) => {
    expect(sniffImage(files[format] ?? new Uint8Array())).toEqual({ ok: true, format, width: 800, height: 450 });
  });

  it("reads lossless (VP8L) and extended (VP8X) WebP dimensions", () => {
    expect(sniffImage(files.lossless ?? new Uint8Array())).toMatchObject({ width: 700, height: 400 });
    expect(sniffImage(files.alpha ?? new Uint8Array())).toMatchObject({ width: 900, height: 500 });
  });

  it("reads a JPEG with 0xFF fill bytes before a marker", () => {
    const jpeg = files.jpeg ?? new Uint8Array();
    const padded = new Uint8Array([...jpeg.slice(0, 2), 0xff, 0xff, ...jpeg.slice(2)]);
    expect(sniffImage(padded)).toEqual({ ok: true, format: "jpeg", width: 800, height: 450 });
  });

  it("rejects text disguised as an image, and truncated files", () => {
    expect(screenImage(new TextEncoder().encode("<html>not an image at all, just pretending</html>"))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not a PNG, JPEG, WebP or AVIF"),
    });
    expect(screenImage(new Uint8Array(10))).toMatchObject({ ok: false, reason: expect.stringContaining("too small") });
    const truncatedJpeg = (files.jpeg ?? new Uint8Array()).slice(0, 40);
    expect(screenImage(truncatedJpeg).ok).toBe(false);
  });

  it("rejects images too small for a kiosk screen, and oversize files", async () => {
    expect(screenImage(await make("png", 320, 200))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("smaller than"),
    });
    const huge = new Uint8Array(21 * 1024 * 1024);
    huge.set(files.png ?? new Uint8Array());
    expect(screenImage(huge)).toMatchObject({ ok: false, reason: expect.stringContaining("larger than") });
  });
});
