/** Version of the kiosk ⇄ session WebSocket protocol. Bumped only for breaking changes. */
export const PROTOCOL_VERSION = 1;
