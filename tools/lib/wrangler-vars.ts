import { readFile } from "node:fs/promises";

/**
 * The `[vars]` table of wrangler.toml (flat string values only, which is all Katha uses), so the
 * setup can validate the same config the Worker will see.
 */
export async function readWranglerVars(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, "utf8");
  const vars: Record<string, string> = {};
  let inVars = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith("[")) {
      inVars = line === "[vars]";
      continue;
    }
    if (!inVars || line === "" || line.startsWith("#")) continue;
    const match = /^([A-Z_][A-Z0-9_]*)\s*=\s*"(.*)"$/.exec(line);
    if (match?.[1] !== undefined) vars[match[1]] = match[2] ?? "";
  }
  return vars;
}
