/** Kiosk entry: reads provisioning and settings from the page address, mounts the app. */
import { render } from "solid-js/web";
import { createKiosk } from "./controller.js";
import type { SyncMode } from "./core/cue-timeline.js";
import { credentialFromHash } from "./core/provisioning.js";
import { enableOfflineRestart } from "./io/offline-shell.js";
import { presentationLag } from "./io/presentation-lag.js";
import { App } from "./ui/App.js";
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/700.css";
import "@fontsource/noto-sans-devanagari/400.css";
import "@fontsource/noto-sans-devanagari/700.css";
import "./ui/styles.css";

const baseUrl = import.meta.env.VITE_ORCHESTRATOR_URL || window.location.origin;
const params = new URLSearchParams(window.location.search);
// `?sync=server` runs the seed runbook's scheduling (server clock only): the sync benchmark's baseline.
const mode: SyncMode = params.get("sync") === "server" ? "server" : "anchored";

const kiosk = createKiosk({
  baseUrl,
  storage: window.localStorage,
  mode,
  presentLagMs: presentationLag.current,
  calibrateDisplay: () => presentationLag.calibrate(),
});

// One-time provisioning link: `/#provision=<kioskId>.<secret>`; stored, then removed from the address bar.
const provisioned = credentialFromHash(window.location.hash);
if (provisioned) {
  kiosk.provision(provisioned);
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

// Tests and staff diagnostics read the kiosk's view of itself here.
Object.assign(window, { katha: kiosk });

const root = document.getElementById("root");
if (root) render(() => <App kiosk={kiosk} />, root);
void presentationLag.calibrate();
// After the page settled (fonts and assets loaded), so the shell cache holds all of them.
window.addEventListener("load", () => void enableOfflineRestart());
