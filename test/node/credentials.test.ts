import { describe, expect, it } from "vitest";
import { parseKioskCredential } from "../../protocol/ids.js";
import {
  bearerToken,
  hashSecret,
  newKioskId,
  randomSecret,
  timingSafeEqualStrings,
} from "../../workers/lib/credentials.js";

describe("kiosk credentials", () => {
  it("round-trips a credential made of a new id and secret", () => {
    const kioskId = newKioskId();
    expect(kioskId).toMatch(/^ksk_[a-z2-7]{16}$/);
    const secret = randomSecret();
    expect(parseKioskCredential(`${kioskId}.${secret}`)).toEqual({ kioskId, secret });
  });

  it.each([
    "",
    "ksk_abc",
    "ksk_abc.",
    "nope.AAAAAAAAAAAAAAAAAAAAAAAA",
    "ksk_abc.short",
    "ksk_abc.has space in it!!!!!!!!!",
  ])("rejects malformed credential %j", (credential) => {
    expect(parseKioskCredential(credential)).toBeNull();
  });

  it("hashes with SHA-256 hex and compares in constant time", async () => {
    expect(await hashSecret("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(timingSafeEqualStrings("abc", "abc")).toBe(true);
    expect(timingSafeEqualStrings("abc", "abd")).toBe(false);
    expect(timingSafeEqualStrings("abc", "abcd")).toBe(false);
  });

  it("reads bearer tokens", () => {
    expect(bearerToken("Bearer xyz")).toBe("xyz");
    expect(bearerToken("bearer  xyz ")).toBe("xyz");
    expect(bearerToken("Basic xyz")).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
