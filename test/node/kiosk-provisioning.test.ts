import { describe, expect, it } from "vitest";
import { CatalogCardsSchema } from "../../kiosk/src/core/catalog-response.js";
import { formatCountdown, formatRupees, t } from "../../kiosk/src/core/i18n.js";
import {
  credentialFromHash,
  loadCredential,
  parseCredential,
  STORAGE_KEY,
  saveCredential,
} from "../../kiosk/src/core/provisioning.js";

const GOOD = "ksk_demo-kiosk.abcdefghijklmnopqrstuvwxyz012345";

function memoryStore() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe("kiosk provisioning", () => {
  it("parses a kiosk credential and its id", () => {
    expect(parseCredential(` ${GOOD}\n`)).toEqual({ kioskId: "ksk_demo-kiosk", credential: GOOD });
  });

  it("rejects what is not a kiosk credential", () => {
    for (const bad of ["", "ksk_x.short", "admin-token", `${GOOD}.extra`, "KSK_DEMO.abcdefghijklmnopqrstuvwxyz"])
      expect(parseCredential(bad)).toBeNull();
  });

  it("reads the one-time link's fragment", () => {
    expect(credentialFromHash(`#provision=${GOOD}`)?.kioskId).toBe("ksk_demo-kiosk");
    expect(credentialFromHash("#other=1")).toBeNull();
    expect(credentialFromHash("#provision=nonsense")).toBeNull();
  });

  it("keeps the credential in storage and ignores a corrupted entry", () => {
    const store = memoryStore();
    expect(loadCredential(store)).toBeNull();
    const credential = parseCredential(GOOD);
    if (!credential) throw new Error("expected a credential");
    saveCredential(store, credential);
    expect(loadCredential(store)).toEqual(credential);
    store.setItem(STORAGE_KEY, "garbage");
    expect(loadCredential(store)).toBeNull();
  });
});

describe("kiosk text", () => {
  it("has every string in Hindi too", () => {
    expect(t("hi", "payWaiting")).not.toBe(t("en", "payWaiting"));
    expect(t("hi", "attractPrompt")).toMatch(/[\u0900-\u097F]/);
  });

  it("formats rupees from paise and countdowns", () => {
    expect(formatRupees(4900, "en")).toBe("₹49");
    expect(formatRupees(4950, "en")).toBe("₹49.50");
    expect(formatCountdown(61_200)).toBe("1:02");
    expect(formatCountdown(-5)).toBe("0:00");
  });
});

describe("catalog response", () => {
  it("maps stories to cards and rejects a malformed catalog", () => {
    const parsed = CatalogCardsSchema.parse({
      stories: [
        {
          id: "a",
          title: { en: "A", hi: "ए" },
          summary: { en: "s", hi: "s" },
          premium: false,
          pricePaise: 0,
          currency: "INR",
          durationMs: 1000,
          languages: ["en"],
          cover: "http://x/images/a.webp",
        },
      ],
    });
    expect(parsed.stories[0]?.coverUrl).toBe("http://x/images/a.webp");
    expect(CatalogCardsSchema.safeParse({ stories: [{ id: "BAD ID" }] }).success).toBe(false);
  });
});
