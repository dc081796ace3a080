/** How long a thread ran and how long it waited for a CPU (what other work on the machine costs it). */
import fs from "node:fs";

export interface ThreadTimes {
  cpuSeconds: number;
  waitSeconds: number;
}

/** The calling thread's time on a CPU and waiting for one so far (Linux /proc/thread-self/schedstat, in ns), or null elsewhere. */
export function threadTimes(): ThreadTimes | null {
  try {
    const [cpu, wait] = fs.readFileSync("/proc/thread-self/schedstat", "utf8").split(" ").map(Number);
    return { cpuSeconds: cpu! / 1e9, waitSeconds: wait! / 1e9 };
  } catch {
    return null;
  }
}

export function since(start: ThreadTimes | null): ThreadTimes | undefined {
  const now = threadTimes();
  return start && now ? { cpuSeconds: now.cpuSeconds - start.cpuSeconds, waitSeconds: now.waitSeconds - start.waitSeconds } : undefined;
}
