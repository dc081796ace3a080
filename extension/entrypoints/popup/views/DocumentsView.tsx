import { useEffect, useState } from "preact/hooks";
import type { PageDocuments } from "../../../lib/protocol";
import { describeFailure, send } from "../../../lib/messaging";
import { uploadsItem } from "../../../lib/storage";
import { downloadPercent, isFinished, type Upload } from "../../../lib/uploads";
import { useStorageValue } from "../../../lib/hooks";
import { targetTabId } from "../../../lib/target-tab";
import { t } from "../../../lib/i18n";
import { formatTimestampDate, formatTimestampTime } from "../../../lib/format";
import { Notice } from "../../../components/Notice";

/** PDF links of the current tab to send, and what is being sent (which goes on if the popup closes). */
export function DocumentsView() {
  const uploads = useStorageValue(uploadsItem) ?? [];
  return (
    <div class="stack">
      <PageDocumentsSection uploads={uploads} />
      <UploadsSection uploads={uploads} />
    </div>
  );
}

function PageDocumentsSection(props: { uploads: Upload[] }) {
  const [page, setPage] = useState<PageDocuments | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [sending, setSending] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        const tabId = await targetTabId();
        if (tabId === null) throw new Error("no tab");
        setPage(await send({ kind: "page.findDocuments", tabId }));
      } catch (e) {
        setError(describeFailure(e));
      }
    })();
  }, []);

  const toggle = (url: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(url);
      else next.delete(url);
      return next;
    });

  async function sendSelected() {
    if (!page) return;
    setSending(true);
    try {
      const items = page.documents.filter((d) => selected.has(d.url)).map((d) => ({ url: d.url, label: d.label, tabId: page.tabId }));
      await send({ kind: "uploads.send", items });
      setSelected(new Set());
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setSending(false);
    }
  }

  const stateOf = (url: string) => props.uploads.find((u) => u.url === url)?.state;
  return (
    <section aria-labelledby="page-docs-title" class="stack">
      <h2 id="page-docs-title">{t("pageDocumentsTitle")}</h2>
      {error ? (
        <>
          <Notice kind="info">{error}</Notice>
          <p class="muted">{t("pageDocumentsTip")}</p>
        </>
      ) : page === null ? (
        <p class="muted">{t("loading")}</p>
      ) : page.documents.length === 0 ? (
        <>
          <p class="muted empty">{t("pageDocumentsNone")}</p>
          <p class="muted">{t("pageDocumentsTip")}</p>
        </>
      ) : (
        <>
          <ul class="rows" data-testid="page-documents">
            {page.documents.map((d) => {
              const state = stateOf(d.url);
              return (
                <li key={d.url} class="row">
                  <label class="check grow">
                    <input type="checkbox" checked={selected.has(d.url)} onChange={(e) => toggle(d.url, e.currentTarget.checked)} />
                    <span class="doc-label" title={d.url}>
                      {d.label}
                    </span>
                  </label>
                  {state === "sent" ? <span class="sent">{t("uploadSent")}</span> : state === "duplicate" ? <span class="warning">{t("uploadAlreadySent")}</span> : null}
                </li>
              );
            })}
          </ul>
          <button type="button" class="button primary" disabled={selected.size === 0 || sending} onClick={sendSelected}>
            {t("pageDocumentsSend", selected.size)}
          </button>
        </>
      )}
    </section>
  );
}

function uploadStatus(u: Upload): string {
  switch (u.state) {
    case "queued":
      return t("uploadQueued");
    case "fetching": {
      const percent = downloadPercent(u);
      return percent === null ? t("uploadFetching") : t("uploadFetchingPercent", percent);
    }
    case "uploading":
      return t("uploadUploading");
    case "sent":
      return t("uploadSent");
    case "failed":
      return t("uploadFailed", u.error ?? "");
    case "duplicate":
      return u.alreadySentAt ? t("uploadDuplicate", formatTimestampDate(u.alreadySentAt), formatTimestampTime(u.alreadySentAt)) : t("uploadSent");
  }
}

function UploadsSection(props: { uploads: Upload[] }) {
  if (props.uploads.length === 0) return null;
  const finished = props.uploads.some(isFinished);
  return (
    <section aria-labelledby="uploads-title" class="stack">
      <h2 id="uploads-title">{t("uploadsTitle")}</h2>
      <ul class="rows" data-testid="uploads" aria-live="polite">
        {props.uploads.map((u) => (
          <li key={u.id} class="row" data-state={u.state}>
            <div class="grow">
              <span class="doc-label" title={u.url}>
                {u.label}
              </span>
              <span class={u.state === "failed" || u.state === "duplicate" ? "warning" : u.state === "sent" ? "sent" : "muted"}>{uploadStatus(u)}</span>
              {u.state === "fetching" || u.state === "uploading" ? (
                <progress max={100} value={downloadPercent(u) ?? undefined} aria-label={uploadStatus(u)} />
              ) : null}
            </div>
            {u.state === "failed" ? (
              <button type="button" class="button-link" onClick={() => void send({ kind: "uploads.retry", uploadId: u.id })}>
                {t("retry")}
              </button>
            ) : null}
            {u.state === "duplicate" ? (
              <button type="button" class="button-link" onClick={() => void send({ kind: "uploads.sendAnyway", uploadId: u.id })}>
                {t("uploadSendAnyway")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {finished ? (
        <button type="button" class="button-link" onClick={() => void send({ kind: "uploads.clearFinished" })}>
          {t("uploadsClear")}
        </button>
      ) : null}
    </section>
  );
}
