// The render worker run from its TypeScript sources (tests, `npm run dev`): a worker thread does not
// inherit the tsx loader, so it registers it first. The bundle has its own compiled worker.
import { register } from "tsx/esm/api";

register();
await import("./render-worker.ts");
