import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureDevVars, parseDevVars, SECRET_GENERATORS } from "../../tools/lib/dev-vars.js";
import { readWranglerVars } from "../../tools/lib/wrangler-vars.js";
import { parseConfig } from "../../workers/lib/config.js";

describe(".dev.vars setup", () => {
  it("writes every secret with fresh random values that the config accepts", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "katha-"));
    const file = path.join(dir, ".dev.vars");
    const first = await ensureDevVars(file);
    expect(first.added.sort()).toEqual(Object.keys(SECRET_GENERATORS).sort());
    const wranglerVars = await readWranglerVars(path.resolve(import.meta.dirname, "..", "..", "wrangler.toml"));
    expect(() => parseConfig({ ...wranglerVars, ...Object.fromEntries(first.vars) })).not.toThrow();

    const other = await ensureDevVars(path.join(dir, "other.vars"));
    expect(other.vars.get("ADMIN_TOKEN")).not.toBe(first.vars.get("ADMIN_TOKEN"));
  });

  it("keeps existing values and only fills what is missing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "katha-"));
    const file = path.join(dir, ".dev.vars");
    await writeFile(file, '# mine\nADMIN_TOKEN="kept-value-kept-value-kept"\nEXTRA=1\n');
    const { vars, added } = await ensureDevVars(file);
    expect(vars.get("ADMIN_TOKEN")).toBe("kept-value-kept-value-kept");
    expect(vars.get("EXTRA")).toBe("1");
    expect(added).not.toContain("ADMIN_TOKEN");
    expect(parseDevVars(await readFile(file, "utf8")).get("ADMIN_TOKEN")).toBe("kept-value-kept-value-kept");
  });

  it("reads wrangler.toml [vars] only", async () => {
    const vars = await readWranglerVars(path.resolve(import.meta.dirname, "..", "..", "wrangler.toml"));
    expect(vars.PSP_PROVIDER).toBe("razorpay"); // production default; .dev.vars makes it the simulator locally
    expect(vars.PRELOAD_LEAD_MS).toBe("2000");
    expect(vars).not.toHaveProperty("name");
  });
});
