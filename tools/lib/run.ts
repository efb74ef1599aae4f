import { spawn } from "node:child_process";

/** Runs a command to completion, streaming its output; rejects with its exit code. */
export function run(command: string, args: string[], options: { cwd: string; quiet?: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${output.slice(-2000)}`));
    });
  });
}

/**
 * Stops a detached process group (npm → wrangler → workerd): SIGTERM, then SIGKILL after `graceMs`
 * if anything is left (a workerd whose output pipe broke was seen ignoring SIGTERM).
 */
export async function stopProcessGroup(pid: number | undefined, graceMs = 5_000): Promise<void> {
  if (!pid) return;
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(-pid, sig);
      return true;
    } catch {
      return false; // already gone
    }
  };
  if (!signal("SIGTERM")) return;
  for (let waited = 0; waited < graceMs && signal(0); waited += 100) await new Promise((r) => setTimeout(r, 100));
  signal("SIGKILL");
}
