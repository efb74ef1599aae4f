import type { KioskView } from "../../kiosk/src/controller.js";

declare global {
  interface Window {
    /** Set by the kiosk app (kiosk/src/main.tsx) for diagnostics and tests. */
    katha: KioskView;
  }
}
