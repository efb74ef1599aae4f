/**
 * The kiosk app in real headless Chromium (Debian's, via playwright-core) against `npm start`:
 * provisioning, keyboard-only browsing, a free story with images on cue, buying a premium story in
 * the simulator, a confirmation that does not verify, a dropped connection mid-story, the staff
 * override and bad credentials.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { overrideCode } from "../../workers/payments/override-code.js";
import { chromiumAvailable, kioskPage, launchChromium } from "./lib/browser.js";
import { focusStory, kioskReady, sessionIdOf } from "./lib/kiosk-driver.js";
import {
  devVars,
  payInSimulator,
  registerKiosk,
  revokeKiosk,
  sessionSnapshot,
  type TestKiosk,
} from "./lib/kiosk-fixture.js";
import { type CuttableLink, startCuttableLink } from "./lib/tcp-proxy.js";

const BASE = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable())
    throw new Error("Chromium is missing: install it with `apt-get install -y chromium` (.ci/run does)");
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

interface Kiosk {
  page: Page;
  consoleLines: string[];
  kiosk: TestKiosk;
}

/** A new browser profile provisioned through the one-time link, waiting in the attract loop. */
async function provisionedKiosk(name: string, origin = BASE): Promise<Kiosk> {
  const kiosk = await registerKiosk(BASE, name);
  const { page, consoleLines } = await kioskPage(browser);
  await page.goto(`${origin}/#provision=${kiosk.credential}`);
  await page.locator(".attract").waitFor();
  await kioskReady(page);
  return { page, consoleLines, kiosk };
}

/**
 * A provisioned kiosk whose only way to the edge is a link the test can cut (a real network drop);
 * the link is closed after `run`, whatever happens.
 */
async function behindCuttableLink(
  name: string,
  run: (kiosk: Kiosk, link: CuttableLink) => Promise<void>,
): Promise<void> {
  const link = await startCuttableLink(Number(new URL(BASE).port));
  try {
    const kiosk = await provisionedKiosk(name, `http://127.0.0.1:${link.port}`);
    await run(kiosk, link);
    await kiosk.page.context().close();
  } finally {
    await link.close();
  }
}

/** Records every cue image the player puts on screen, in order. */
async function watchCues(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    Object.assign(window, { seenCues: seen });
    new MutationObserver(() => {
      const cue = document.querySelector<HTMLImageElement>("img.cue")?.dataset.cue;
      if (cue && seen.at(-1) !== cue) seen.push(cue);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}
const seenCues = (page: Page) => page.evaluate(() => (window as unknown as { seenCues: string[] }).seenCues);

describe("kiosk app in Chromium", () => {
  it("is provisioned by the one-time link, keeps the credential, and browses by keyboard in two languages", async () => {
    const { page, kiosk } = await provisionedKiosk("e2e browse");
    expect(new URL(page.url()).hash).toBe(""); // the credential left the address bar
    expect(await page.evaluate(() => localStorage.getItem("katha.kiosk.credential"))).toBe(kiosk.credential);
    await page.keyboard.press("Enter");
    await page.locator(".browse").waitFor();
    expect(await page.locator(".card").count()).toBe(4);
    await page.keyboard.press("ArrowRight");
    expect(await page.locator(".card.focused").getAttribute("data-index")).toBe("1");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Enter"); // the language switch
    await expect.poll(() => page.locator(".card .title").first().textContent()).toMatch(/[\u0900-\u097F]/);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".card .title").first().textContent()).toMatch(/^[A-Za-z]/);
    expect(await page.locator(".badge.premium").count()).toBe(2);
    // A reload keeps the provisioning: straight to the attract loop, not setup.
    await page.reload();
    await page.locator(".attract").waitFor();
    await page.keyboard.press("Escape"); // any key wakes
    await page.locator(".browse").waitFor();
    await page.keyboard.press("Escape");
    await page.locator(".attract").waitFor();
    await page.context().close();
  });

  it("plays a free story: narration starts, each image changes on its cue, the session gets the reports", async () => {
    const { page, consoleLines, kiosk } = await provisionedKiosk("e2e free story");
    await focusStory(page, "queens-stepwell");
    await watchCues(page);
    await page.keyboard.press("Enter");
    await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 10_000 });
    const sessionId = await sessionIdOf(page);
    // playback_started reached the session: it knows when the audio really started.
    await expect
      .poll(async () => (await sessionSnapshot(BASE, kiosk, sessionId)).story?.audioStartedAt)
      .toBeGreaterThan(0);
    await page.locator('.player[data-phase="ended"]').waitFor({ timeout: 30_000 });
    expect(await seenCues(page)).toHaveLength(3);
    const preloads = consoleLines.filter((l) => l.includes("Preloading image: "));
    const schedules = consoleLines.filter((l) => l.includes("Scheduling image show: "));
    expect(new Set(preloads.map((l) => /Preloading image: (\S+)/.exec(l)?.[1])).size).toBe(3);
    expect(schedules).toHaveLength(3);
    expect(consoleLines.filter((l) => l.startsWith("pageerror"))).toEqual([]);
    const snapshot = await sessionSnapshot(BASE, kiosk, sessionId);
    expect(snapshot.sync.count).toBe(3); // one img_shown per cue
    expect(snapshot.sync.maxAbsMs).toBeLessThan(50); // the kiosk's own estimate; the benchmark measures independently
    await page.keyboard.press("Enter");
    await page.locator(".browse").waitFor();
    await page.context().close();
  }, 60_000);

  it("sells a premium story: QR rendered locally, Waiting… → Paid → playing, unlocked afterwards", async () => {
    const { page } = await provisionedKiosk("e2e premium");
    await focusStory(page, "iron-pillar");
    await page.keyboard.press("Enter");
    await page.locator('.paywall[data-status="waiting"]').waitFor();
    const upiUri = (await page.locator(".qr").getAttribute("data-upi")) ?? "";
    expect(upiUri).toMatch(/^upi:\/\/pay\?/);
    expect(await page.locator(".qr svg path").count()).toBeGreaterThan(0); // drawn here, no remote image
    expect(await page.locator(".paywall .amount").textContent()).toBe("₹29");
    await expect.poll(() => page.locator(".paywall .status").textContent()).toBe("Waiting for payment…");
    expect(await page.locator(".countdown").textContent()).toMatch(/\d+:\d\d/);
    await payInSimulator(BASE, upiUri);
    await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 10_000 });
    await page.locator("img.cue").waitFor();
    await page.keyboard.press("Escape");
    await page.locator(".browse").waitFor();
    expect(await page.locator('.card[data-story="iron-pillar"] .badge').textContent()).toBe("Unlocked");
    await page.context().close();
  }, 60_000);

  it("does not unlock when the payment confirmation fails verification, and says so", async () => {
    const { page, consoleLines } = await provisionedKiosk("e2e forged keys");
    // The kiosk is handed someone else's public key: the genuine confirmation can no longer verify.
    await page.route("**/.well-known/katha-keys.json", (route) =>
      route.fulfill({
        contentType: "application/json",
        body: JSON.stringify({
          keys: [
            {
              kty: "OKP",
              crv: "Ed25519",
              x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
              kid: "k1",
              alg: "EdDSA",
              use: "sig",
            },
          ],
        }),
      }),
    );
    await focusStory(page, "sun-temple-of-konark");
    await page.keyboard.press("Enter");
    await page.locator('.paywall[data-status="waiting"]').waitFor();
    await payInSimulator(BASE, (await page.locator(".qr").getAttribute("data-upi")) ?? "");
    await page.locator('.paywall[data-status="rejected"]').waitFor({ timeout: 10_000 });
    expect(await page.locator(".paywall .hint").textContent()).toContain("try again");
    expect(consoleLines.some((l) => l.includes("Invalid signature"))).toBe(true);
    expect(await page.evaluate(() => window.katha.state().unlocked)).toEqual([]);
    // With the genuine keys back, Enter checks the same payment again: it verifies and the story plays
    // (no second QR for a story already paid).
    await page.unroute("**/.well-known/katha-keys.json");
    await page.keyboard.press("Enter");
    await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => window.katha.state().unlocked)).toEqual(["sun-temple-of-konark"]);
    await page.context().close();
  }, 60_000);

  it("a payment made while the kiosk's link is down unlocks once it is back", async () => {
    await behindCuttableLink("e2e pay offline", async ({ page }, link) => {
      await focusStory(page, "iron-pillar");
      await page.keyboard.press("Enter");
      await page.locator('.paywall[data-status="waiting"]').waitFor();
      const upiUri = (await page.locator(".qr").getAttribute("data-upi")) ?? "";
      link.cut();
      await page.locator(".connection").waitFor({ timeout: 5_000 });
      await payInSimulator(BASE, upiUri); // the visitor's phone is not behind the kiosk's link
      await page.waitForTimeout(1_000);
      expect(await page.locator(".paywall").getAttribute("data-status")).toBe("waiting");
      link.restore();
      await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 20_000 });
    });
  }, 60_000);

  it("keeps the story going through a dropped connection and resumes the same session", async () => {
    await behindCuttableLink("e2e offline", async ({ page, consoleLines, kiosk }, link) => {
      await focusStory(page, "churning-of-the-ocean"); // cues at 0, 6.1, 10.9, 17.1 s
      await watchCues(page);
      await page.keyboard.press("Enter");
      await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 10_000 });
      const sessionId = await sessionIdOf(page);
      await page.waitForTimeout(1_500);
      link.cut();
      await page.locator(".connection").waitFor({ timeout: 5_000 }); // "Reconnecting…", then "Offline"
      // The second cue falls due while the link is down: it still appears on time.
      await expect.poll(() => seenCues(page), { timeout: 10_000 }).toContain("mountain");
      expect(await page.locator(".connection").count()).toBe(1); // still down when it showed
      link.restore();
      await page.locator(".connection").waitFor({ state: "detached", timeout: 20_000 });
      expect(await sessionIdOf(page)).toBe(sessionId);
      await page.locator('.player[data-phase="ended"]').waitFor({ timeout: 30_000 });
      expect(await seenCues(page)).toEqual(["ocean", "mountain", "serpent", "nectar"]);
      expect(consoleLines.some((l) => l.includes("connection lost; reconnecting"))).toBe(true);
      // Reports made while the link was down were queued and delivered after the reconnect.
      await expect
        .poll(async () => (await sessionSnapshot(BASE, kiosk, sessionId)).sync.count, { timeout: 10_000 })
        .toBe(4);
    });
  }, 90_000);

  it("restarts while offline: the page, catalog and covers come from the kiosk's caches", async () => {
    await behindCuttableLink("e2e offline restart", async ({ page }, link) => {
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.keyboard.press("Enter"); // browse once so the covers are fetched (and kept)
      await page.locator(".card img").first().waitFor();
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>(".card img")].every((i) => i.complete),
      );
      await page.waitForTimeout(500); // the shell cache is filled after load
      link.cut();
      await page.reload();
      await page.locator(".attract").waitFor({ timeout: 10_000 });
      await page.locator(".connection").waitFor({ timeout: 10_000 }); // it knows it is offline
      await page.keyboard.press("Enter");
      await page.locator(".browse").waitFor();
      await expect.poll(() => page.locator(".card").count(), { timeout: 10_000 }).toBe(4);
      await expect
        .poll(() =>
          page.evaluate(() =>
            [...document.querySelectorAll<HTMLImageElement>(".card img")].every(
              (i) => i.complete && i.naturalWidth > 0,
            ),
          ),
        )
        .toBe(true);
      link.restore();
      await page.locator(".connection").waitFor({ state: "detached", timeout: 20_000 });
    });
  }, 60_000);

  it("staff override: Ctrl+Shift+P, a wrong code is refused, today's code unlocks the story", async () => {
    const { page, kiosk } = await provisionedKiosk("e2e override");
    await focusStory(page, "sun-temple-of-konark");
    await page.keyboard.press("Control+Shift+P");
    await page.locator(".override input").waitFor();
    await page.keyboard.type("000000");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".override .status").getAttribute("data-status")).toBe("wrong");
    const code = await overrideCode(devVars().get("OVERRIDE_SECRET") ?? "", kiosk.kioskId, Date.now());
    await page.locator(".override input").fill(code);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator(".override .status").getAttribute("data-status")).toBe("unlocked");
    await page.keyboard.press("Escape");
    await expect
      .poll(() => page.locator('.card[data-story="sun-temple-of-konark"] .badge').textContent())
      .toBe("Unlocked");
    await page.keyboard.press("Enter");
    await page.locator('.player[data-phase="playing"]').waitFor({ timeout: 10_000 });
    await page.context().close();
  }, 60_000);

  it("setup refuses a malformed credential; a revoked kiosk shows it is offline instead of hanging", async () => {
    const { page } = await kioskPage(browser);
    await page.goto(`${BASE}/`);
    await page.locator(".setup input").fill("not-a-credential");
    await page.keyboard.press("Enter");
    await page.locator(".setup .error").waitFor();
    const revoked = await registerKiosk(BASE, "e2e revoked");
    await revokeKiosk(BASE, revoked.kioskId);
    await page.locator(".setup input").fill(revoked.credential);
    await page.keyboard.press("Enter");
    await page.locator(".attract").waitFor();
    await expect.poll(() => page.locator(".connection").textContent(), { timeout: 10_000 }).toContain("Offline");
    await page.context().close();
  });
});
