import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

/**
 * The kiosk app, built into `kiosk/dist`, which the Worker serves as static assets at `/`
 * (wrangler.toml `[assets]`). `VITE_ORCHESTRATOR_URL` (the runbook's name) points a kiosk at another
 * edge; empty means the origin that served the page.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
});
