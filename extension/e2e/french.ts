/**
 * What a French owner must never read: the API's rules in English. Every screen a run photographs
 * is read first, and a screen showing one of the catalogue's English words fails the run.
 */
import path from "node:path";
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { ENGLISH_MARKERS } from "@passerelle/shared/problem-i18n";

/** The catalogue's English words on the page (empty when it is all French). */
export async function englishOnScreen(page: Page): Promise<string[]> {
  const text = await page.locator("body").innerText();
  return ENGLISH_MARKERS.filter((marker) => text.includes(marker));
}

/** A screenshot into `dir` of a screen checked to hold no English first. */
export function frenchShot(dir: string) {
  return async (page: Page, name: string) => {
    expect(await englishOnScreen(page), `English on the screen ${name}`).toEqual([]);
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  };
}
