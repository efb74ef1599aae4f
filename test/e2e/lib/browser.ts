/**
 * Debian's Chromium driven by playwright-core (DESIGN.md: `/usr/bin/chromium`, headless, the flags
 * below). Autoplay is allowed so narration starts without a real gesture in tests.
 */
import { existsSync } from "node:fs";
import { type Browser, type ConsoleMessage, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** A page that keeps its console lines (the runbook's diagnosis reads them). */
export async function kioskPage(
  browser: Browser,
  viewport = { width: 1920, height: 1080 },
): Promise<{ page: Page; consoleLines: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on("console", (message: ConsoleMessage) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
  return { page, consoleLines };
}
