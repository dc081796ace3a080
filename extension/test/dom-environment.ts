/**
 * happy-dom, with modules transformed for Node rather than for a browser: the popup's components
 * run against a DOM while the real API they reach (in-process) keeps resolving its own files.
 */
import { builtinEnvironments, type Environment } from "vitest/environments";

const happyDom = builtinEnvironments["happy-dom"];

export default {
  ...happyDom,
  name: "happy-dom-on-node",
  viteEnvironment: "ssr",
} satisfies Environment;
