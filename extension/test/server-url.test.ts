import { describe, expect, it } from "vitest";
import { checkServerUrl } from "../lib/server-url";

describe("checkServerUrl", () => {
  it("accepts any https server and asks for its host as an optional permission", () => {
    expect(checkServerUrl(" https://passerelle.cabinet-dupont.fr/ ")).toEqual({
      ok: true,
      url: "https://passerelle.cabinet-dupont.fr",
      originPattern: "https://passerelle.cabinet-dupont.fr/*",
      needsPermission: true,
    });
    expect(checkServerUrl("https://example.fr:8443/passerelle//")).toEqual({
      ok: true,
      url: "https://example.fr:8443/passerelle",
      originPattern: "https://example.fr/*",
      needsPermission: true,
    });
  });

  it("accepts plain http only on this machine, already granted by the manifest", () => {
    expect(checkServerUrl("http://localhost:8787")).toEqual({ ok: true, url: "http://localhost:8787", originPattern: "http://localhost/*", needsPermission: false });
    expect(checkServerUrl("http://127.0.0.1:9000/")).toMatchObject({ ok: true, url: "http://127.0.0.1:9000", needsPermission: false });
    expect(checkServerUrl("http://passerelle.example.fr")).toEqual({ ok: false, reason: "insecure" });
    expect(checkServerUrl("http://192.168.1.20:8787")).toEqual({ ok: false, reason: "insecure" });
  });

  it("asks for https on this machine too: the manifest grants only plain http there", () => {
    expect(checkServerUrl("https://localhost:8443")).toEqual({ ok: true, url: "https://localhost:8443", originPattern: "https://localhost/*", needsPermission: true });
    expect(checkServerUrl("https://127.0.0.1:8443/")).toMatchObject({ originPattern: "https://127.0.0.1/*", needsPermission: true });
  });

  it("refuses what is not a server address", () => {
    for (const input of ["", "passerelle.fr", "ftp://files.example.fr", "javascript:alert(1)", "https://user:pw@example.fr", "file:///etc/passwd"]) {
      expect(checkServerUrl(input).ok).toBe(false);
    }
  });
});
