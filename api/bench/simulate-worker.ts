/**
 * The simulation on a thread of its own (see `simulateInWorker` in generate.ts): it posts each batch
 * of rows to the thread that writes them and stays at most two batches ahead of it. The customers'
 * frozen identities on the documents' rows (the same few thousand strings again and again) travel
 * as the customer's index, and are put back by the receiving thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { since, threadTimes } from "./thread-times.js";
import { CUSTOMER_SNAPSHOT, simulate, TABLE_COLUMNS, type SimulationInput } from "./simulate.js";

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
  // the same strings simulate() stores: JSON.stringify of each frozen identity
  const customerIndex = new Map(input.customers.map((c, i) => [JSON.stringify(c.snapshot), i]));
  const width = TABLE_COLUMNS.invoices.length;
  const started = threadTimes();
  await simulate(input, async (batch) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const invoices = batch.rows.invoices;
    for (let at = 0; at < invoices.length; at += width) {
      const customer = customerIndex.get(invoices[at + CUSTOMER_SNAPSHOT] as string);
      if (customer === undefined) throw new Error("a document's customer identity is not the input's");
      invoices[at + CUSTOMER_SNAPSHOT] = customer;
    }
    // the last batch says how long this thread ran and waited for a CPU
    port.postMessage(batch.final ? { ...batch, thread: since(started) } : batch);
  });
  // done: the writing thread ends this one once it has the final batch
}
