/** The kiosk's screens. Every screen answers arrow keys, Enter and Escape as well as touch. */
import { createEffect, createSignal, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import type { KioskView } from "../controller.js";
import { t } from "../core/i18n.js";
import type { Nav } from "../core/kiosk-machine.js";
import { parseCredential } from "../core/provisioning.js";
import { Browse } from "./Browse.js";
import { OverrideDialog } from "./OverrideDialog.js";
import { Paywall } from "./Paywall.js";
import { Player } from "./Player.js";

const KEYS: Record<string, Nav> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
  Enter: "enter",
  " ": "enter",
  Escape: "back",
  Backspace: "back",
};
/** Unattended this long, the browser (or a finished story) returns to the attract loop. */
const IDLE_MS = 60_000;

export function App(props: { kiosk: KioskView }) {
  const kiosk = props.kiosk;
  const state = kiosk.state;
  const lang = () => state().lang;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const touched = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => kiosk.dispatch({ type: "idle" }), IDLE_MS);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    touched();
    if (event.ctrlKey && event.shiftKey && event.key.toLowerCase() === "p") {
      event.preventDefault();
      kiosk.dispatch({ type: "override_open" });
      return;
    }
    if (state().screen.name === "setup") return;
    // Typing in the override field: only Enter/Escape are navigation.
    if (state().override && event.key !== "Enter" && event.key !== "Escape") return;
    const nav = KEYS[event.key];
    if (nav) {
      event.preventDefault();
      kiosk.dispatch(state().screen.name === "attract" ? { type: "wake" } : { type: "key", key: nav });
    } else if (state().screen.name === "attract" && event.key.length === 1) {
      kiosk.dispatch({ type: "wake" });
    }
  };

  const layout = () =>
    kiosk.dispatch({ type: "layout", columns: window.matchMedia("(orientation: portrait)").matches ? 1 : 2 });

  onMount(() => {
    layout();
    window.addEventListener("resize", layout);
    window.addEventListener("keydown", onKeyDown);
    window.addEventListener("pointerdown", touched);
    onCleanup(() => {
      window.removeEventListener("resize", layout);
      window.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("pointerdown", touched);
      clearTimeout(idleTimer);
    });
  });

  createEffect(() => {
    document.documentElement.lang = lang();
  });

  // Every screen change (a story ending unattended included) restarts the idle countdown.
  const screenKey = () => {
    const screen = state().screen;
    return screen.name === "player" ? `player:${screen.phase}` : screen.name;
  };
  createEffect(on(screenKey, touched));

  return (
    <main class="kiosk" data-screen={state().screen.name} data-connection={state().connection}>
      <ConnectionBanner kiosk={kiosk} />
      <Switch>
        <Match when={state().screen.name === "setup"}>
          <Setup kiosk={kiosk} />
        </Match>
        <Match when={state().screen.name === "attract"}>
          <section class="attract" onPointerDown={() => kiosk.dispatch({ type: "wake" })}>
            <h1>{t(lang(), "attractTitle")}</h1>
            <p class="pulse">{t(lang(), "attractPrompt")}</p>
          </section>
        </Match>
        <Match when={state().screen.name === "browse"}>
          <Browse kiosk={kiosk} />
        </Match>
        <Match when={state().screen.name === "player"}>
          <Player kiosk={kiosk} />
        </Match>
        <Match when={state().screen.name === "paywall"}>
          <Paywall kiosk={kiosk} />
        </Match>
      </Switch>
      <Show when={state().notice}>
        {(notice) => (
          <p class="notice" role="status">
            {notice()}
          </p>
        )}
      </Show>
      <Show when={state().override}>
        <OverrideDialog kiosk={kiosk} />
      </Show>
    </main>
  );
}

function ConnectionBanner(props: { kiosk: KioskView }) {
  const state = props.kiosk.state;
  const label = () => {
    const connection = state().connection;
    if (connection === "online" || state().screen.name === "setup") return null;
    return t(state().lang, connection);
  };
  return (
    <Show when={label()}>
      {(text) => (
        <div class="connection" role="status" data-state={state().connection}>
          {text()}
        </div>
      )}
    </Show>
  );
}

function Setup(props: { kiosk: KioskView }) {
  const [error, setError] = createSignal<string | null>(null);
  let input: HTMLInputElement | undefined;
  onMount(() => input?.focus());
  const submit = (event: Event) => {
    event.preventDefault();
    const credential = parseCredential(input?.value ?? "");
    if (!credential) {
      setError(t("en", "setupInvalid"));
      return;
    }
    props.kiosk.provision(credential);
  };
  return (
    <section class="setup">
      <h1>{t("en", "setupTitle")}</h1>
      <form onSubmit={submit}>
        <label for="credential">{t("en", "setupPrompt")}</label>
        <input id="credential" ref={input} autocomplete="off" spellcheck={false} />
        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
      </form>
    </section>
  );
}
