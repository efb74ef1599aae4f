import type { D1Migration } from "@cloudflare/vitest-pool-workers";
import type { Env as WorkerEnv } from "../../workers/env.js";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      ADMIN_TOKEN: string;
      TEST_IMAGE_PNG_B64: string;
      TEST_IMAGE_5K_PNG_B64: string;
    }
    interface GlobalProps {
      mainModule: typeof import("../../workers/index.js");
      durableNamespaces: "KioskSession";
    }
  }
}
