/** Durable Object classes; the Worker entry (workers/index.ts) re-exports them. */
export { KioskSession } from "./kiosk-session/kiosk-session.js";
