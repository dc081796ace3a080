import { describe, expect, it } from "vitest";
import { checkRecipients, recipientAt, splitRecipients } from "../../lib/app/recipients";

describe("the recipients the owner types", () => {
  it("are split at commas, semicolons and line breaks, blanks dropped", () => {
    expect(splitRecipients(" a@b.fr,c@d.fr ;\n e@f.fr ,, ")).toEqual(["a@b.fr", "c@d.fr", "e@f.fr"]);
  });

  it("name the first address that is not one, or that is typed twice (whatever its case)", () => {
    expect(checkRecipients("a@b.fr, c@d.fr")).toEqual({ addresses: ["a@b.fr", "c@d.fr"], problem: null });
    expect(checkRecipients("a@b.fr, c@, x")).toEqual({ addresses: ["a@b.fr", "c@", "x"], problem: { address: "c@", reason: "invalid" } });
    expect(checkRecipients("a@b.fr; A@B.fr").problem).toEqual({ address: "A@B.fr", reason: "repeated" });
    expect(checkRecipients("  ")).toEqual({ addresses: [], problem: null });
  });

  it("are found again from the API's error path", () => {
    expect(recipientAt("to.1", ["a@b.fr", "c@d.fr"])).toBe("c@d.fr");
    expect(recipientAt("to", ["a@b.fr"])).toBeNull();
    expect(recipientAt("to.5", ["a@b.fr"])).toBeNull();
    expect(recipientAt("subject", ["a@b.fr"])).toBeNull();
  });
});
