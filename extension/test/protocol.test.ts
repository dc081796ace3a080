import { describe, expect, it } from "vitest";
import { API_METHODS, isMessage, isTrustedSender, MESSAGE_KINDS } from "../lib/protocol";

const ID = "abcdefghijklmnop";
const ORIGIN = `chrome-extension://${ID}/`;

describe("isTrustedSender", () => {
  it("accepts this extension's pages, in Chrome and Firefox", () => {
    expect(isTrustedSender({ id: ID, url: `${ORIGIN}popup.html` }, ID, ORIGIN)).toBe(true);
    expect(isTrustedSender({ id: ID, url: "moz-extension://uuid/options.html" }, ID, "moz-extension://uuid/")).toBe(true);
  });

  it("refuses web pages, scripts injected into tabs and other extensions", () => {
    expect(isTrustedSender({ id: ID, url: "https://shop.example/checkout" }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: "other", url: `chrome-extension://other/popup.html` }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: ID, url: `chrome-extension://${ID}x/popup.html` }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({ id: ID }, ID, ORIGIN)).toBe(false);
    expect(isTrustedSender({}, ID, ORIGIN)).toBe(false);
  });
});

describe("isMessage", () => {
  it("knows every kind of the protocol", () => {
    for (const kind of MESSAGE_KINDS) {
      const message = kind === "api" ? { kind, method: "me", args: [] } : { kind };
      expect(isMessage(message)).toBe(true);
    }
  });

  it("refuses what is not a message", () => {
    for (const value of [null, undefined, 42, "session.get", [], {}, { kind: 1 }, { kind: "session.steal" }]) {
      expect(isMessage(value)).toBe(false);
    }
  });

  it("lets pages call only the listed client methods, with an argument list", () => {
    expect(isMessage({ kind: "api", method: "listInvoices", args: ["c1", {}] })).toBe(true);
    expect(isMessage({ kind: "api", method: "listInvoices" })).toBe(false);
    for (const method of ["login", "logout", "signup", "raw", "request", "uploadDocument", "constructor", "__proto__"]) {
      expect(API_METHODS as readonly string[]).not.toContain(method);
      expect(isMessage({ kind: "api", method, args: [] })).toBe(false);
    }
  });
});
