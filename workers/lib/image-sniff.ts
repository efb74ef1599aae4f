/**
 * Identifies an image by its bytes (never by its name) and reads its dimensions from the header.
 * Pure and dependency-free so the Worker and the build tools screen images the same way.
 */
export type ImageFormat = "png" | "jpeg" | "webp" | "avif";

export type SniffResult =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; reason: string };

const u32be = (b: Uint8Array, o: number) =>
  (((b[o] ?? 0) << 24) >>> 0) + ((b[o + 1] ?? 0) << 16) + ((b[o + 2] ?? 0) << 8) + (b[o + 3] ?? 0);
const u16be = (b: Uint8Array, o: number) => ((b[o] ?? 0) << 8) + (b[o + 1] ?? 0);
const u16le = (b: Uint8Array, o: number) => (b[o] ?? 0) + ((b[o + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, o: number) => (b[o] ?? 0) + ((b[o + 1] ?? 0) << 8) + ((b[o + 2] ?? 0) << 16);
const ascii = (b: Uint8Array, o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));

function png(b: Uint8Array): SniffResult {
  if (ascii(b, 12, 4) !== "IHDR") return { ok: false, reason: "PNG without an IHDR header" };
  return { ok: true, format: "png", width: u32be(b, 16), height: u32be(b, 20) };
}

function jpeg(b: Uint8Array): SniffResult {
  let o = 2;
  while (o + 9 <= b.length) {
    if (b[o] !== 0xff) return { ok: false, reason: "JPEG marker stream is corrupt" };
    // Any number of 0xFF fill bytes may precede a marker.
    while (b[o + 1] === 0xff && o + 10 <= b.length) o++;
    const marker = b[o + 1] ?? 0;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      o += 2;
      continue;
    }
    const length = u16be(b, o + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { ok: true, format: "jpeg", height: u16be(b, o + 5), width: u16be(b, o + 7) };
    if (length < 2) return { ok: false, reason: "JPEG segment length is corrupt" };
    o += 2 + length;
  }
  return { ok: false, reason: "JPEG without a frame header" };
}

function webp(b: Uint8Array): SniffResult {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 ")
    return { ok: true, format: "webp", width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
    return { ok: true, format: "webp", width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { ok: true, format: "webp", width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return { ok: false, reason: `WebP with unknown chunk "${chunk}"` };
}

function avif(b: Uint8Array): SniffResult {
  // The image spatial extents ('ispe') property inside the meta box carries width and height.
  for (let o = 12; o + 20 <= Math.min(b.length, 64 * 1024); o++) {
    if (b[o] === 0x69 && ascii(b, o, 4) === "ispe")
      return { ok: true, format: "avif", width: u32be(b, o + 8), height: u32be(b, o + 12) };
  }
  return { ok: false, reason: "AVIF without image extents (ispe)" };
}

/** What the bytes really are, with dimensions; a disguised or unknown file is a reason, not a throw. */
export function sniffImage(bytes: Uint8Array): SniffResult {
  if (bytes.length < 32) return { ok: false, reason: "file is too small to be an image" };
  if (bytes[0] === 0x89 && ascii(bytes, 1, 3) === "PNG") return png(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes);
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return webp(bytes);
  if (ascii(bytes, 4, 4) === "ftyp" && ["avif", "avis"].includes(ascii(bytes, 8, 4))) return avif(bytes);
  return { ok: false, reason: "not a PNG, JPEG, WebP or AVIF file (checked by content, not by name)" };
}

/** Limits an image must meet before it reaches kiosks. */
export const IMAGE_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  minWidth: 640,
  minHeight: 360,
  maxWidth: 12_000,
  maxHeight: 12_000,
};

/**
 * What the Worker stores as-is (it cannot resize): at most a 4K screen. Larger images go through
 * `npm run images:screen`, which converts them.
 */
export const KIOSK_SAFE_LIMITS = { ...IMAGE_LIMITS, maxWidth: 3840, maxHeight: 2160 };

/** Screens sniffed bytes against the limits; returns the reason for a rejection. */
export function screenImage(bytes: Uint8Array, limits: typeof IMAGE_LIMITS = IMAGE_LIMITS): SniffResult {
  if (bytes.length > limits.maxBytes) return { ok: false, reason: `larger than ${limits.maxBytes} bytes` };
  const sniffed = sniffImage(bytes);
  if (!sniffed.ok) return sniffed;
  const { width, height } = sniffed;
  if (width < limits.minWidth || height < limits.minHeight)
    return { ok: false, reason: `${width}×${height} is smaller than ${limits.minWidth}×${limits.minHeight}` };
  if (width > limits.maxWidth || height > limits.maxHeight)
    return { ok: false, reason: `${width}×${height} is larger than ${limits.maxWidth}×${limits.maxHeight}` };
  return sniffed;
}
