/** Registers the custom functions with Excel's runtime (absent when the page is opened outside Excel). */
import { IMPLEMENTATIONS } from "./functions.js";

if (typeof CustomFunctions !== "undefined") {
  for (const [id, implementation] of Object.entries(IMPLEMENTATIONS)) CustomFunctions.associate(id, implementation);
}
