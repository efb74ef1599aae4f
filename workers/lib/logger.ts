/**
 * Structured JSON logs, one object per line. Messages are static strings (the runbook greps
 * them: `token`, `img_preload`, `TTS`); variable data goes in fields.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger with more fields bound (e.g. sessionId once per session). */
  child(fields: LogFields): Logger;
}

/** Turns an unknown thrown value into loggable fields without leaking it to clients. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) return { err: err.message, errName: err.name, stack: err.stack };
  return { err: String(err) };
}

/** Creates a logger for one subsystem (`edge`, `orchestrator`, `images`, `payments`, `session`). */
export function createLogger(subsystem: string, minLevel: LogLevel = "info", bound: LogFields = {}): Logger {
  const emit = (level: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < LEVEL_RANK[minLevel]) return;
    const line = JSON.stringify({ level, msg, subsystem, ...bound, ...fields, ts: new Date().toISOString() });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger(subsystem, minLevel, { ...bound, ...fields }),
  };
}
