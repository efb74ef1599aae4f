/** Screenshots of every kiosk screen (landscape and portrait), saved as benchmark artifacts. */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { kioskPage } from "../../test/e2e/lib/browser.js";
import { focusStory, kioskReady } from "../../test/e2e/lib/kiosk-driver.js";
import type { LocalSystem } from "../../test/e2e/lib/local-system.js";

export async function captureScreens(browser: Browser, edge: LocalSystem, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const saved: string[] = [];
  const shot = async (page: Page, name: string) => {
    await page.waitForTimeout(300); // fonts and covers settle
    await page.screenshot({ path: path.join(dir, `${name}.png`) });
    saved.push(name);
  };

  const setup = await kioskPage(browser);
  await setup.page.goto(`${edge.base}/`);
  await setup.page.locator(".setup").waitFor();
  await shot(setup.page, "setup");
  await setup.page.context().close();

  for (const [orientation, viewport] of [
    ["landscape", { width: 1920, height: 1080 }],
    ["portrait", { width: 1080, height: 1920 }],
  ] as const) {
    const { page } = await kioskPage(browser, viewport);
    await page.goto(`${edge.base}/#provision=${edge.credential}`);
    await kioskReady(page);
    await shot(page, `${orientation}-attract`);
    await focusStory(page, "churning-of-the-ocean");
    await shot(page, `${orientation}-browse-en`);
    if (orientation === "landscape") {
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Enter");
      await shot(page, "landscape-browse-hi");
      await page.keyboard.press("Enter");
      await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Enter");
    await page.locator('.player[data-phase="playing"]').waitFor();
    await page.waitForTimeout(2_000);
    await shot(page, `${orientation}-player`);
    await page.keyboard.press("Escape");
    await focusStory(page, "iron-pillar");
    await page.keyboard.press("Enter");
    await page.locator('.paywall[data-status="waiting"]').waitFor();
    await shot(page, `${orientation}-paywall`);
    if (orientation === "landscape") {
      await page.keyboard.press("Control+Shift+P");
      await page.locator(".override input").waitFor();
      await page.keyboard.type("123");
      await shot(page, "landscape-override");
    }
    await page.context().close();
  }
  return saved;
}
