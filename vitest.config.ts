import { randomBytes } from "node:crypto";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import sharp from "sharp";
import { defineConfig } from "vitest/config";

const secret = () => randomBytes(32).toString("base64url");
/** A real 800×450 PNG for the image screener tests (workerd cannot run sharp). */
const testImage5k = (
  await sharp({ create: { width: 5000, height: 2800, channels: 3, background: "#000" } })
    .png()
    .toBuffer()
).toString("base64");
const testImagePng = (
  await sharp({ create: { width: 800, height: 450, channels: 3, background: "#aa5500" } })
    .png()
    .toBuffer()
).toString("base64");

/**
 * Three projects: `edge` runs in workerd (vitest-pool-workers, real DO/R2/D1 storage), `node` runs
 * pure logic and the Node-side tools, `e2e` runs `npm start` and drives it as a kiosk would. Test secrets are fresh random values per run.
 */
export default defineConfig({
  test: {
    reporters: ["default", "./test/summary-reporter.ts"],
    projects: [
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: secret(),
                PSP_PROVIDER: "simulator",
                LIVEKIT_API_KEY: "APItest",
                LIVEKIT_API_SECRET: secret(),
                WEBHOOK_SECRET: secret(),
                PAYMENT_SIGN_SECRET: secret(),
                OVERRIDE_SECRET: secret(),
                CASHFREE_APP_ID: "TESTapp",
                CASHFREE_SECRET_KEY: secret(),
                // Short timings so whole stories play in about a second of real alarms.
                PRELOAD_LEAD_MS: "400",
                STORY_START_DELAY_MS: "500",
                LOG_LEVEL: "warn",
                TEST_IMAGE_PNG_B64: testImagePng,
                TEST_IMAGE_5K_PNG_B64: testImage5k,
                TEST_MIGRATIONS: await readD1Migrations(path.join(import.meta.dirname, "migrations")),
              },
            },
          })),
        ],
        test: {
          name: "edge",
          include: ["test/edge/**/*.test.ts"],
          setupFiles: ["./test/edge/setup.ts"],
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["test/node/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          environment: "node",
          // After the other projects: a wrangler dev beside the workerd pool on 2 cores skews timing.
          sequence: { groupOrder: 1 },
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["./test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 150_000,
        },
      },
    ],
  },
});
