// @vitest-environment node
import { describe, expect, it } from "vitest";
import { capabilitiesFrom, currentCapabilities } from "../lib/background/capabilities";
import { capabilitiesItem } from "../lib/storage";
import { harness, SERVER } from "./api-harness";

describe("capabilities", () => {
  it("reads the invoice PDF route from the server's OpenAPI description", () => {
    const withPdf = { paths: { "/api/v1/companies/{companyId}/invoices/{invoiceId}/pdf": { get: {} } } };
    expect(capabilitiesFrom(withPdf)).toEqual({ invoicePdf: true });
    expect(capabilitiesFrom({ paths: { "/api/v1/companies/{companyId}/invoices/{invoiceId}": { get: {} } } })).toEqual({ invoicePdf: false });
    expect(capabilitiesFrom(null)).toEqual({ invoicePdf: false });
  });

  it("matches what the real API serves, and remembers it for an hour", async () => {
    const { api, env, requests } = await harness();
    const served = await api.call("GET", "/openapi.json");
    const expected = Object.keys(served.json.paths).some((p) => p.endsWith("/invoices/{invoiceId}/pdf"));
    const first = await currentCapabilities(env, SERVER);
    expect(first.invoicePdf).toBe(expected);
    expect((await capabilitiesItem.getValue())?.invoicePdf).toBe(expected);
    await currentCapabilities(env, SERVER);
    expect(requests.filter((r) => r.endsWith("/openapi.json"))).toHaveLength(1);
  });

  it("hides optional actions when the description cannot be read, and asks again next time", async () => {
    const { env } = await harness();
    const offline = { ...env, fetch: async () => Promise.reject(new TypeError("fetch failed")) };
    expect((await currentCapabilities(offline, SERVER)).invoicePdf).toBe(false);
    expect(await capabilitiesItem.getValue()).toBeNull();
  });
});
