import { onMount, Show } from "solid-js";
import type { KioskView } from "../controller.js";
import { type StringKey, t } from "../core/i18n.js";
import type { OverrideStatus } from "../core/kiosk-machine.js";

const STATUS_TEXT: Record<OverrideStatus, StringKey> = {
  editing: "overridePrompt",
  sending: "overrideSending",
  unlocked: "overrideUnlocked",
  wrong: "overrideWrong",
  locked: "overrideLocked",
  error: "overridePrompt",
};

/** Staff override (Ctrl+Shift+P): today's code unlocks the story behind the paywall or in focus. */
export function OverrideDialog(props: { kiosk: KioskView }) {
  const state = props.kiosk.state;
  const overlay = () => state().override;
  let input: HTMLInputElement | undefined;
  onMount(() => input?.focus());
  return (
    <div class="override" role="dialog" aria-modal="true" aria-labelledby="override-title">
      <h2 id="override-title">{t(state().lang, "overrideTitle")}</h2>
      <input
        ref={input}
        inputmode="numeric"
        autocomplete="off"
        maxlength={8}
        value={overlay()?.code ?? ""}
        onInput={(event) => props.kiosk.dispatch({ type: "override_input", code: event.currentTarget.value })}
      />
      <p class="status" role="status" data-status={overlay()?.status}>
        {t(state().lang, STATUS_TEXT[overlay()?.status ?? "editing"])}
      </p>
      <Show when={overlay()?.status === "error" && overlay()?.message}>
        <p class="error">{overlay()?.message}</p>
      </Show>
    </div>
  );
}
