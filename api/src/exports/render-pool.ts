/**
 * PDF rendering off the event loop: a bounded pool of worker threads, each making one document at a
 * time from plain data (the database is read on the main thread: its connections cannot cross
 * threads). A render that outlives the time limit has its worker terminated (another takes its
 * place) and answers 503; so does a render asked for while the queue is full. Workers start with
 * the first render and, idle, do not keep the process alive.
 */
import { Worker } from "node:worker_threads";
import { ProblemError } from "../http/problem.js";
import type { RenderJob } from "./render-jobs.js";

declare global {
  interface ImportMeta {
    /** Set by scripts/build.mjs: the bundled render worker, beside the server bundle. */
    renderWorker?: string;
  }
}

const WORKER = import.meta.renderWorker ? new URL(import.meta.renderWorker, import.meta.url) : new URL("./render-worker.dev.mjs", import.meta.url);

export interface RenderPoolOptions {
  threads: number;
  timeoutMs: number;
  /** Renders waiting for a worker; one more is refused. */
  queueLimit: number;
}

interface Task {
  id: number;
  job: RenderJob;
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  timer: NodeJS.Timeout | undefined;
}

type WorkerMessage = { ready: true } | { id: number; bytes: Uint8Array } | { id: number; error: string };

export class RenderPool {
  private readonly threads = new Set<Thread>();
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: RenderPoolOptions) {}

  /** The PDF's bytes. A render still waiting when `signal` aborts (the client went away) is dropped. */
  render(job: RenderJob, signal?: AbortSignal): Promise<Uint8Array> {
    this.admit();
    return new Promise((resolve, reject) => {
      const task: Task = { id: this.nextId++, job, resolve, reject };
      this.queue.push(task);
      signal?.addEventListener(
        "abort",
        () => {
          const waiting = this.queue.indexOf(task);
          if (waiting < 0) return;
          this.queue.splice(waiting, 1);
          // nobody reads the answer: a problem, so that it is not logged as a failure
          reject(new ProblemError(503, "Service Unavailable", "The request was abandoned before its PDF was made."));
        },
        { once: true },
      );
      this.dispatch();
    });
  }

  /** 503 when no render can be queued now: checked before an archive of PDFs starts streaming. */
  admit(): void {
    if (this.closed) throw new Error("the render pool is closed");
    if (this.queue.length >= this.options.queueLimit) {
      throw this.unavailable(`The server is making too many PDFs at the moment (${this.queue.length} waiting): try again in ${seconds(this.retryAfter())}.`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error("the render pool is closed"));
    await Promise.all([...this.threads].map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    for (const thread of this.threads) {
      if (this.queue.length === 0) return;
      if (thread.ready && !thread.task) this.run(thread, this.queue.shift()!);
    }
    let starting = [...this.threads].filter((t) => !t.ready).length;
    while (starting < this.queue.length && this.threads.size < this.options.threads) {
      this.spawn();
      starting++;
    }
  }

  private spawn(): void {
    const thread: Thread = { worker: new Worker(WORKER), ready: false, task: null, timer: undefined };
    this.threads.add(thread);
    thread.worker.unref();
    let failure: Error | undefined;
    thread.worker.on("message", (message: WorkerMessage) => {
      if ("ready" in message) {
        thread.ready = true;
        return this.dispatch();
      }
      const task = thread.task;
      if (!task || task.id !== message.id) return;
      this.release(thread);
      if ("error" in message) task.reject(new Error(`PDF render failed: ${message.error}`));
      else task.resolve(message.bytes);
      this.dispatch();
    });
    thread.worker.on("error", (error) => (failure = error));
    thread.worker.on("exit", (code) => {
      if (!this.threads.delete(thread)) return; // terminated for its time limit, already replaced
      clearTimeout(thread.timer);
      const error = new Error(`PDF render worker stopped (exit code ${code})${failure ? `: ${failure.message}` : ""}`);
      thread.task?.reject(error);
      // a worker that cannot even start would be replaced for ever: the renders waiting fail instead
      if (!thread.ready) for (const task of this.queue.splice(0)) task.reject(error);
      if (!this.closed) this.dispatch();
    });
  }

  private run(thread: Thread, task: Task): void {
    thread.task = task;
    thread.worker.ref();
    thread.timer = setTimeout(() => {
      this.threads.delete(thread);
      void thread.worker.terminate();
      task.reject(
        this.unavailable(
          `Making this PDF took longer than the ${this.options.timeoutMs / 1000}-second limit, so it was stopped: try again in ${seconds(this.retryAfter())}; a document this heavy may need shorter lines or notes.`,
        ),
      );
      this.dispatch();
    }, this.options.timeoutMs);
    thread.worker.postMessage({ id: task.id, job: task.job });
  }

  private release(thread: Thread): void {
    clearTimeout(thread.timer);
    thread.timer = undefined;
    thread.task = null;
    thread.worker.unref();
  }

  /** About as long as the renders ahead may take: one time limit. */
  private retryAfter(): number {
    return Math.max(1, Math.ceil(this.options.timeoutMs / 1000));
  }

  private unavailable(detail: string): ProblemError {
    return new ProblemError(503, "Service Unavailable", detail, undefined, { "retry-after": String(this.retryAfter()) });
  }
}

const seconds = (n: number) => `${n} second${n === 1 ? "" : "s"}`;
