/** Worker thread entry: checks one database file (check.ts) away from the thread answering requests. */
import { parentPort, workerData } from "node:worker_threads";
import { checkDatabaseFile } from "./check.js";

parentPort!.postMessage(checkDatabaseFile((workerData as { file: string }).file));
