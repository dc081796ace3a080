import { afterEach, beforeEach, vi } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { configure } from "@testing-library/preact";
import { catalogs, getMessageFrom } from "./i18n-fake";

// Views wait on a real API (password hashing, OpenAPI generation): give them time on slow machines.
configure({ asyncUtilTimeout: 10_000 });

beforeEach(() => {
  fakeBrowser.reset();
  // The fake browser leaves these to the test; the French catalogue is the default locale.
  fakeBrowser.i18n.getMessage = getMessageFrom(catalogs.fr) as typeof fakeBrowser.i18n.getMessage;
});

afterEach(() => {
  vi.restoreAllMocks();
});
