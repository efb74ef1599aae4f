import { Show } from "solid-js";
import type { KioskView } from "../controller.js";
import { t } from "../core/i18n.js";
import { presentationLag } from "../io/presentation-lag.js";

export function Player(props: { kiosk: KioskView }) {
  const kiosk = props.kiosk;
  const state = kiosk.state;
  const lang = () => state().lang;
  const screen = () => {
    const s = state().screen;
    return s.name === "player" ? s : null;
  };
  const story = () => state().stories.find((s) => s.id === screen()?.storyId);
  return (
    <section class="player" data-phase={screen()?.phase}>
      {/* keyed: a new <img> per cue, so each one's first paint is observable (Element Timing). */}
      <Show when={kiosk.image()} keyed>
        {(shown) => {
          const identifier = `cue:${shown.cueId}`;
          if (shown.frameTime !== null) presentationLag.expect(identifier, shown.frameTime);
          return <img class="cue" src={shown.src} alt="" data-cue={shown.cueId} elementtiming={identifier} />;
        }}
      </Show>
      <Show when={screen()?.phase === "loading"}>
        <p class="loading">{t(lang(), "loading")}</p>
      </Show>
      <div class="overlay">
        <h2>{story()?.title[lang()]}</h2>
        <Show when={kiosk.caption()}>
          <p class="caption" lang={lang()}>
            {kiosk.caption()}
          </p>
        </Show>
        <div class="progress" role="progressbar" aria-valuenow={Math.round(kiosk.progress() * 100)}>
          <div style={{ width: `${kiosk.progress() * 100}%` }} />
        </div>
      </div>
      <Show when={screen()?.phase === "ended"}>
        <p class="the-end">{t(lang(), "theEnd")}</p>
      </Show>
    </section>
  );
}
