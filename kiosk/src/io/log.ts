/**
 * Kiosk console logging. The runbook's diagnosis greps the console for `Preloading image:`,
 * `Scheduling image show:` and `Invalid signature`; those words are kept exactly.
 */
type Fields = Record<string, unknown>;

function line(message: string, fields?: Fields): string {
  return fields && Object.keys(fields).length > 0 ? `${message} ${JSON.stringify(fields)}` : message;
}

export const log = {
  info: (message: string, fields?: Fields) => console.info(line(message, fields)),
  warn: (message: string, fields?: Fields) => console.warn(line(message, fields)),
  error: (message: string, fields?: Fields) => console.error(line(message, fields)),
};
