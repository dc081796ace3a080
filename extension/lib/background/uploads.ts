/**
 * The upload queue. It lives in the service worker so the popup can close; its state lives in
 * `storage.session` so the popup can show it when it opens again and a restarted worker knows
 * what was cut short. One document at a time, in the order they were asked for.
 */
import { companyIdItem, uploadsItem } from "../storage";
import { isFinished, labelFor, type Upload, type UploadRequest } from "../uploads";
import { t } from "../i18n";
import type { BackgroundEnv } from "./env";
import type { Session } from "./session";
import { fetchDocument } from "./fetch-document";
import { fail, toFailure } from "./failures";
import { failureText } from "../failure";

const PROGRESS_EVERY_MS = 250;
/** The API refuses longer source URLs; they are kept for display but not sent. */
const MAX_SOURCE_URL = 2000;

export type Uploader = ReturnType<typeof createUploader>;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function createUploader(env: BackgroundEnv, session: Session, onChange: () => Promise<void> = async () => {}) {
  let writes: Promise<unknown> = Promise.resolve();
  let running: Promise<void> | null = null;

  /** Read-modify-write of the list, one at a time, so progress and new requests never overwrite each other. */
  function update(change: (uploads: Upload[]) => Upload[]): Promise<Upload[]> {
    const next = writes.then(async () => {
      const updated = change(await uploadsItem.getValue());
      await uploadsItem.setValue(updated);
      return updated;
    });
    writes = next.catch(() => undefined);
    return next.then(async (value) => {
      await onChange();
      return value;
    });
  }

  const patch = (id: string, fields: Partial<Upload>) =>
    update((list) => list.map((u) => (u.id === id ? { ...u, ...fields, updatedAt: env.now().getTime() } : u)));

  async function enqueue(requests: UploadRequest[]): Promise<number> {
    const companyId = await companyIdItem.getValue();
    const signedIn = (await session.auth()) !== null;
    const now = env.now().getTime();
    const created: Upload[] = requests.map((r) => ({
      id: env.newId(),
      url: r.url,
      label: labelFor(r.url, r.label),
      tabId: r.tabId ?? null,
      companyId,
      state: signedIn && companyId ? "queued" : "failed",
      receivedBytes: 0,
      totalBytes: null,
      error: signedIn && companyId ? null : t("errorSignedOut"),
      documentId: null,
      sha256: null,
      createdAt: now,
      updatedAt: now,
    }));
    // Newest first, as the popup lists them; the queue takes from the end.
    await update((list) => [...created.slice().reverse(), ...list]);
    void pump();
    return created.filter((u) => u.state === "queued").length;
  }

  async function retry(uploadId: string): Promise<void> {
    const companyId = await companyIdItem.getValue();
    await update((list) =>
      list.map((u) =>
        u.id === uploadId && u.state === "failed"
          ? { ...u, state: "queued", error: null, receivedBytes: 0, totalBytes: null, companyId: u.companyId ?? companyId, updatedAt: env.now().getTime() }
          : u,
      ),
    );
    void pump();
  }

  /** A duplicate the owner wants stored all the same. */
  async function sendAnyway(uploadId: string): Promise<void> {
    await update((list) =>
      list.map((u) => (u.id === uploadId && u.state === "duplicate" ? { ...u, state: "queued", sendAnyway: true, documentId: null, updatedAt: env.now().getTime() } : u)),
    );
    void pump();
  }

  async function clearFinished(): Promise<void> {
    await update((list) => list.filter((u) => !isFinished(u)));
  }

  /** After the worker restarted: what was in flight was cut short and can be retried; what waited goes on. */
  async function recover(): Promise<void> {
    await update((list) =>
      list.map((u) => (u.state === "fetching" || u.state === "uploading" ? { ...u, state: "failed", error: t("uploadInterrupted") } : u)),
    );
    void pump();
  }

  async function sendOne(upload: Upload): Promise<void> {
    try {
      if (!upload.companyId) throw fail("signed-out", t("errorSignedOut"));
      const companyId = upload.companyId;
      await patch(upload.id, { state: "fetching" });
      let lastWrite = 0;
      const doc = await fetchDocument(env, upload, (received, total) => {
        const now = env.now().getTime();
        if (now - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = now;
        void patch(upload.id, { receivedBytes: received, totalBytes: total });
      });
      if (!upload.sendAnyway) {
        // The same bytes sent before: say when, and let the owner decide rather than store them twice.
        const sha256 = await sha256Hex(doc.bytes);
        const earlier = (await session.call((client) => client.listDocuments(companyId, { sha256, limit: 1 }))).items[0];
        if (earlier) {
          await patch(upload.id, { state: "duplicate", sha256, documentId: earlier.id, alreadySentAt: earlier.uploadedAt, receivedBytes: doc.bytes.byteLength, error: null });
          return;
        }
      }
      await patch(upload.id, { state: "uploading", receivedBytes: doc.bytes.byteLength, totalBytes: doc.bytes.byteLength });
      const sourceUrl = /^https?:\/\//i.test(upload.url) && upload.url.length <= MAX_SOURCE_URL ? upload.url : undefined;
      const blob = new Blob([doc.bytes], { type: doc.contentType || "application/octet-stream" });
      const saved = await session.call((client) => client.uploadDocument(companyId, blob, doc.fileName, { sourceUrl }));
      await patch(upload.id, { state: "sent", documentId: saved.id, sha256: saved.sha256, error: null });
    } catch (error) {
      await patch(upload.id, { state: "failed", error: failureText(toFailure(error)) });
    }
  }

  /** Sends queued documents until none is left; a call while running makes it look again before stopping. */
  let wanted = false;
  function pump(): Promise<void> {
    wanted = true;
    running ??= (async () => {
      try {
        while (wanted) {
          wanted = false;
          for (;;) {
            const next = (await uploadsItem.getValue()).filter((u) => u.state === "queued").at(-1);
            if (!next) break;
            await sendOne(next);
          }
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return { enqueue, retry, sendAnyway, clearFinished, recover, pump, idle: () => running ?? Promise.resolve() };
}
