/**
 * Narration scripts: plain text with cue marks. `{{name}}` starts a cue: the image
 * `images/name.<png|jpg|jpeg|webp|avif>` appears when the narration reaches the text after the mark.
 *
 *   {{ocean}} Long ago, the gods had lost their strength.
 *   {{mountain}} They uprooted Mount Mandara to serve as the churning rod.
 *
 * Lines starting with `#` are comments. Every spoken word belongs to a cue.
 */
export interface ScriptSegment {
  cueId: string;
  text: string;
  /** 1-based line of the mark, for error messages. */
  line: number;
}

export class ScriptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "ScriptError";
  }
}

const CUE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MARK = /\{\{([^}]*)\}\}/g;

/** Splits a script into cue segments, or throws ScriptError naming the file, line and problem. */
export function parseScript(source: string, file: string): ScriptSegment[] {
  const segments: ScriptSegment[] = [];
  const lines = source.split(/\r?\n/);
  let current: ScriptSegment | null = null;
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    if (rawLine.trimStart().startsWith("#")) return;
    let cursor = 0;
    for (const match of rawLine.matchAll(MARK)) {
      const before = rawLine.slice(cursor, match.index);
      if (before.includes("{") || before.includes("}")) throw new ScriptError(file, lineNo, "unbalanced {{ or }}");
      if (before.trim() !== "") {
        if (current === null)
          throw new ScriptError(file, lineNo, "text before the first cue mark: start with {{image-name}}");
        current.text += ` ${before.trim()}`;
      }
      const name = (match[1] ?? "").trim();
      if (!CUE_NAME.test(name))
        throw new ScriptError(file, lineNo, `bad cue mark {{${match[1]}}}: use a lowercase name of a-z, 0-9 and -`);
      if (segments.some((s) => s.cueId === name))
        throw new ScriptError(file, lineNo, `cue {{${name}}} is used twice; give each picture its own name`);
      current = { cueId: name, text: "", line: lineNo };
      segments.push(current);
      cursor = (match.index ?? 0) + match[0].length;
    }
    const rest = rawLine.slice(cursor);
    if (rest.includes("{") || rest.includes("}")) throw new ScriptError(file, lineNo, "unbalanced {{ or }}");
    if (rest.trim() !== "") {
      if (current === null)
        throw new ScriptError(file, lineNo, "text before the first cue mark: start with {{image-name}}");
      current.text += ` ${rest.trim()}`;
    }
  });
  if (segments.length === 0)
    throw new ScriptError(file, 1, "no cue marks: the script is empty or has no {{image-name}}");
  for (const segment of segments) {
    segment.text = segment.text.trim().replace(/\s+/g, " ");
    if (segment.text === "") throw new ScriptError(file, segment.line, `cue {{${segment.cueId}}} has no text to speak`);
  }
  return segments;
}
