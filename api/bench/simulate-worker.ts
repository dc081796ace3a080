/**
 * The simulation on a thread of its own (see `simulateInWorker` in generate.ts): it posts each batch
 * of rows to the thread that writes them and stays at most two batches ahead of it.
 */
import { parentPort, workerData } from "node:worker_threads";
import { since, threadTimes } from "./thread-times.js";
import { simulate, type SimulationInput } from "./simulate.js";

const IN_FLIGHT = 2;

const port = parentPort;
if (port && (workerData as { simulation?: SimulationInput } | null)?.simulation) {
  const input = (workerData as { simulation: SimulationInput }).simulation;
  let credits = IN_FLIGHT;
  let wake: (() => void) | null = null;
  port.on("message", (message) => {
    if (message !== "ack") return;
    credits++;
    wake?.();
    wake = null;
  });
  const started = threadTimes();
  await simulate(input, async (batch) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    // the last batch says how long this thread ran and waited for a CPU
    port.postMessage(batch.final ? { ...batch, thread: since(started) } : batch);
  });
  // done: the writing thread ends this one once it has the final batch
}
