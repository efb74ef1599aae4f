import { createFactory } from "hono/factory";
import type { Env } from "./env.js";
import type { Config } from "./lib/config.js";
import type { Logger } from "./lib/logger.js";

/** Hono typing for every route: bindings plus per-request variables set by middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    log: Logger;
    config: Config;
    /** Set by kiosk auth: the authenticated kiosk. */
    kioskId: string;
  };
}

export const factory = createFactory<AppEnv>();
