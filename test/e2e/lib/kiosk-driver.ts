/** Drives the kiosk app the way staff and tests do: keyboard only, reading `window.katha`. */
import type { Page } from "playwright-core";

export const screenName = (page: Page) => page.evaluate(() => window.katha.state().screen.name);
export const sessionIdOf = (page: Page) => page.evaluate(() => window.katha.diagnostics().sessionId ?? "");

/** Resolves once the kiosk has a session and the catalog. */
export async function kioskReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => window.katha.diagnostics().sessionId !== null && window.katha.state().stories.length > 0,
  );
}

/** Wakes the kiosk if needed and moves focus to a story with arrow keys. */
export async function focusStory(page: Page, storyId: string): Promise<void> {
  if ((await screenName(page)) === "attract") await page.keyboard.press("Enter");
  const target = await page.evaluate((id) => window.katha.state().stories.findIndex((s) => s.id === id), storyId);
  if (target < 0) throw new Error(`no story ${storyId} in the catalog`);
  for (let i = 0; i < 12; i++) {
    const focus = await page.evaluate(() => {
      const screen = window.katha.state().screen;
      return screen.name === "browse" ? screen.focus : null;
    });
    if (focus === target) return;
    const key =
      focus === "lang" ? "ArrowDown" : typeof focus === "number" && focus > target ? "ArrowLeft" : "ArrowRight";
    await page.keyboard.press(key);
  }
  throw new Error(`could not focus ${storyId}`);
}
