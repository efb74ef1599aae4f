import { createEffect, For, Show } from "solid-js";
import type { KioskView } from "../controller.js";
import { formatRupees, t } from "../core/i18n.js";
import { isPlayable } from "../core/kiosk-machine.js";

export function Browse(props: { kiosk: KioskView }) {
  const state = props.kiosk.state;
  const lang = () => state().lang;
  const focus = () => {
    const screen = state().screen;
    return screen.name === "browse" ? screen.focus : null;
  };
  let grid: HTMLDivElement | undefined;
  createEffect(() => {
    const f = focus();
    grid
      ?.querySelector<HTMLElement>(typeof f === "number" ? `[data-index="${f}"]` : ".lang")
      ?.scrollIntoView({ block: "nearest" });
  });
  return (
    <section class="browse">
      <header>
        <h1>{t(lang(), "browseTitle")}</h1>
        <button
          type="button"
          class="lang"
          classList={{ focused: focus() === "lang" }}
          onClick={() => props.kiosk.dispatch({ type: "toggle_lang" })}
        >
          {t(lang(), "language")}
        </button>
      </header>
      <div class="grid" ref={grid}>
        <For each={state().stories}>
          {(story, index) => (
            <button
              type="button"
              class="card"
              data-story={story.id}
              data-index={index()}
              classList={{ focused: focus() === index() }}
              onClick={() => props.kiosk.dispatch({ type: "tap_story", storyId: story.id })}
            >
              <img src={story.coverUrl} alt="" loading="lazy" />
              <span class="title">{story.title[lang()]}</span>
              <span class="meta">
                {Math.max(1, Math.round(story.durationMs / 60_000))} {t(lang(), "minutes")}
                <Show when={story.premium} fallback={<span class="badge free">{t(lang(), "free")}</span>}>
                  <span class="badge premium">
                    {isPlayable(state(), story.id)
                      ? t(lang(), "unlocked")
                      : `${t(lang(), "premium")} · ${formatRupees(story.pricePaise, lang())}`}
                  </span>
                </Show>
              </span>
            </button>
          )}
        </For>
      </div>
    </section>
  );
}
