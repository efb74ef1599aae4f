import { describe, expect, it } from "vitest";
import { parseScript, ScriptError } from "../../tools/content/script-parser.js";

describe("script parser", () => {
  it("splits a script into cue segments with their text", () => {
    const script =
      "# title\n{{ocean}} Long ago,\nthe gods were weak.\n\n{{mountain}} They took a mountain. {{serpent}} And a serpent.\n";
    expect(parseScript(script, "s.txt")).toEqual([
      { cueId: "ocean", text: "Long ago, the gods were weak.", line: 2 },
      { cueId: "mountain", text: "They took a mountain.", line: 5 },
      { cueId: "serpent", text: "And a serpent.", line: 5 },
    ]);
  });

  it.each([
    ["Text first. {{a}} then", /:1: text before the first cue mark/],
    ["{{a}} one {{a}} two", /cue \{\{a\}\} is used twice/],
    ["{{a}} one {{b}}", /cue \{\{b\}\} has no text to speak/],
    ["{{../etc/passwd}} sneaky", /bad cue mark/],
    ["{{A B}} caps", /bad cue mark/],
    ["{{a}} open {{b", /unbalanced/],
    ["{{a}} stray }} then {{b}} more", /unbalanced/],
    ["# only a comment\n\n", /no cue marks/],
    ["", /no cue marks/],
  ])("rejects %j, naming the file and line", (script, message) => {
    let error: unknown;
    try {
      parseScript(script, "stories/x/script.en.txt");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScriptError);
    expect((error as Error).message).toMatch(/^stories\/x\/script\.en\.txt:\d+: /);
    expect((error as Error).message).toMatch(message);
  });
});
