import QRCode from "qrcode";
import { createResource, createSignal, Match, onCleanup, Show, Switch } from "solid-js";
import type { KioskView } from "../controller.js";
import { formatCountdown, formatRupees, type StringKey, t } from "../core/i18n.js";
import type { PaywallStatus } from "../core/kiosk-machine.js";
import { log } from "../io/log.js";

const STATUS_TEXT: Record<PaywallStatus, StringKey> = {
  creating: "payCreating",
  waiting: "payWaiting",
  paid: "payPaid",
  failed: "payFailed",
  expired: "payExpired",
  rejected: "payRejected",
  unavailable: "payUnavailable",
};

/**
 * The UPI QR, rendered here from the `upi://` URI: no image from anywhere else is needed. A URI the
 * library cannot encode (empty, too long) yields null and the paywall says payments are unavailable.
 */
async function renderQr(uri: string): Promise<string | null> {
  try {
    return await QRCode.toString(uri, {
      type: "svg",
      errorCorrectionLevel: "M",
      margin: 2,
      color: { dark: "#000", light: "#fff" },
    });
  } catch (err) {
    log.error("QR code could not be drawn", { error: String(err) });
    return null;
  }
}

export function Paywall(props: { kiosk: KioskView }) {
  const state = props.kiosk.state;
  const lang = () => state().lang;
  const screen = () => {
    const s = state().screen;
    return s.name === "paywall" ? s : null;
  };
  const story = () => state().stories.find((s) => s.id === screen()?.storyId);
  const [qr] = createResource(() => screen()?.payment?.upiUri, renderQr);
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 250);
  onCleanup(() => clearInterval(tick));
  const retryable = () => ["failed", "expired", "rejected", "unavailable"].includes(screen()?.status ?? "");
  return (
    <section class="paywall" data-status={screen()?.status}>
      <h1>{story()?.title[lang()]}</h1>
      <Show when={screen()?.payment}>
        {(payment) => (
          <>
            <p class="amount">{formatRupees(payment().amountPaise, lang())}</p>
            <Show when={screen()?.status === "waiting" && qr()}>
              <div class="qr" data-upi={payment().upiUri} innerHTML={qr() ?? ""} />
              <p>{t(lang(), "payTitle")}</p>
              <p class="countdown">
                {t(lang(), "expiresIn")} {formatCountdown(payment().expiresAt - now())}
              </p>
            </Show>
          </>
        )}
      </Show>
      <p class="status" role="status">
        {t(lang(), qr() === null ? "payUnavailable" : STATUS_TEXT[screen()?.status ?? "creating"])}
      </p>
      <Switch>
        <Match when={retryable()}>
          <p class="hint">
            {t(lang(), "payRetry")} · {t(lang(), "payCancel")}
          </p>
        </Match>
        <Match when={screen()?.status !== "paid"}>
          <p class="hint">{t(lang(), "payCancel")}</p>
        </Match>
      </Switch>
    </section>
  );
}
