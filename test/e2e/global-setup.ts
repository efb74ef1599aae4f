/** One local system (`npm start` on a spare port) for every end-to-end test. */
import type { TestProject } from "vitest/node";
import { startLocalSystem } from "./lib/local-system.js";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    serverLogPath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const system = await startLocalSystem(18_000 + Math.floor(Math.random() * 1_000));
  project.provide("baseUrl", system.base);
  project.provide("serverLogPath", system.logPath);
  return system.stop;
}
