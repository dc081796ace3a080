/**
 * The simulation on a thread of its own (see `simulateInWorker` in generate.ts): it posts each batch
 * of rows to the thread that writes them and stays at most two batches ahead of it. Given several
 * companies (`simulations`, the multi-company data set of firm-data.ts), it simulates them one after
 * the other, each batch naming its company's index.
 */
import { parentPort, workerData } from "node:worker_threads";
import { since, threadTimes } from "./thread-times.js";
import { simulate, type SimulationInput } from "./simulate.js";

const IN_FLIGHT = 2;

const port = parentPort;
const data = workerData as { simulation?: SimulationInput; simulations?: SimulationInput[] } | null;
const inputs = data?.simulations ?? (data?.simulation ? [data.simulation] : []);
if (port && inputs.length > 0) {
  let credits = IN_FLIGHT;
  let wake: (() => void) | null = null;
  port.on("message", (message) => {
    if (message !== "ack") return;
    credits++;
    wake?.();
    wake = null;
  });
  const started = threadTimes();
  for (const [company, input] of inputs.entries()) {
    const last = company === inputs.length - 1;
    await simulate(input, async (batch) => {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      // the last batch says how long this thread ran and waited for a CPU
      port.postMessage({ ...batch, company, ...(batch.final && last ? { thread: since(started), last: true } : {}) });
    });
  }
  // done: the writing thread ends this one once it has the final batch
}
