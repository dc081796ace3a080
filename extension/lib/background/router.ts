/** The background's side of the protocol: checks who is asking and what, then dispatches by kind. */
import type { PasserelleClient } from "@passerelle/shared";
import { isMessage, isTrustedSender, type Envelope, type Message, type ReplyOf, type SenderLike } from "../protocol";
import { serverUrlItem } from "../storage";
import { checkServerUrl } from "../server-url";
import { t } from "../i18n";
import type { BackgroundEnv } from "./env";
import type { Session } from "./session";
import type { Uploader } from "./uploads";
import { fail, toFailure } from "./failures";
import { findDocumentsOnPage } from "./page-documents";
import { releaseOtherServers } from "./server-access";
import { fileNameFromDisposition } from "./fetch-document";
import { bytesToBase64 } from "../base64";

export interface RouterParts {
  env: BackgroundEnv;
  session: Session;
  uploader: Uploader;
  attention: { refresh(): Promise<void>; refreshIfStale(): Promise<void>; schedule(): Promise<void>; stop(): Promise<void>; render(): Promise<void> };
  extensionId: string;
  extensionOrigin: string;
}

export function createRouter(parts: RouterParts) {
  const { env, session, uploader, attention } = parts;

  /** Keeps the badge fresh without making the page wait for it; signing out waits for it to settle. */
  let followUp: Promise<unknown> = Promise.resolve();
  const inBackground = (work: Promise<unknown>) => {
    followUp = Promise.all([followUp, work.catch(() => undefined)]);
  };

  async function dispatch(message: Message): Promise<unknown> {
    switch (message.kind) {
      case "session.get": {
        const view = await session.view();
        if (view) inBackground(attention.refreshIfStale());
        return view;
      }
      case "session.signIn": {
        const view = await session.signIn({ email: message.email, password: message.password, remember: message.remember === true });
        inBackground(attention.schedule().then(() => attention.refresh()));
        return view satisfies ReplyOf<"session.signIn">;
      }
      case "session.signUp":
        return (await session.signUp({ name: message.name, email: message.email, password: message.password })) satisfies ReplyOf<"session.signUp">;
      case "session.signOut":
        await followUp;
        await session.signOut();
        await attention.stop();
        return null;
      case "session.selectCompany": {
        const view = await session.selectCompany(message.companyId);
        inBackground(attention.refresh());
        return view;
      }
      case "server.check": {
        const check = checkServerUrl(message.url);
        if (!check.ok) throw fail("bad-message", t(check.reason === "insecure" ? "serverInsecure" : "serverInvalid"));
        let response: Response;
        try {
          response = await env.fetch(`${check.url}/health`, { headers: { accept: "application/json" } });
        } catch (error) {
          throw await session.explain(error, check.url);
        }
        const body = (await response.json().catch(() => null)) as { ok?: boolean; version?: string } | null;
        if (!response.ok || body?.ok !== true) throw fail("unreachable", t("serverNotPasserelle"));
        return { version: body.version ?? "" };
      }
      case "server.changed": {
        // A session belongs to the server it was opened on.
        const serverUrl = await serverUrlItem.getValue();
        const current = await session.auth();
        if (current && current.serverUrl !== serverUrl) {
          await session.signOut();
          await attention.stop();
        }
        await releaseOtherServers(serverUrl);
        return null;
      }
      case "api": {
        const { method, args } = message;
        return session.call((client) => (client[method] as (...a: unknown[]) => Promise<unknown>).apply(client, args));
      }
      case "invoice.pdf":
      case "quote.pdf": {
        const path =
          message.kind === "quote.pdf"
            ? `/companies/${encodeURIComponent(message.companyId)}/quotes/${encodeURIComponent(message.quoteId)}/pdf`
            : `/companies/${encodeURIComponent(message.companyId)}/invoices/${encodeURIComponent(message.invoiceId)}/pdf`;
        return session.call(async (client: PasserelleClient) => {
          const response = await client.raw("GET", path);
          const bytes = new Uint8Array(await response.arrayBuffer());
          const fileName = fileNameFromDisposition(response.headers.get("content-disposition") ?? "") ?? (message.kind === "quote.pdf" ? "devis.pdf" : "facture.pdf");
          return { fileName, base64: bytesToBase64(bytes) };
        });
      }
      case "page.findDocuments":
        return findDocumentsOnPage(message.tabId);
      case "uploads.send":
        return { queued: await uploader.enqueue(message.items) };
      case "uploads.retry":
        await uploader.retry(message.uploadId);
        return null;
      case "uploads.sendAnyway":
        await uploader.sendAnyway(message.uploadId);
        return null;
      case "uploads.clearFinished":
        await uploader.clearFinished();
        return null;
      case "attention.refresh":
        await attention.refresh();
        return null;
    }
  }

  /** Answers one message; never throws, so every page gets an envelope back. */
  async function handle(message: unknown, sender: SenderLike): Promise<Envelope<unknown>> {
    if (!isTrustedSender(sender, parts.extensionId, parts.extensionOrigin)) {
      return { ok: false, error: { status: 0, reason: "bad-message", title: "Refused: not sent by this extension's pages" } };
    }
    if (!isMessage(message)) return { ok: false, error: { status: 0, reason: "bad-message", title: "Unknown message" } };
    try {
      return { ok: true, value: await dispatch(message) };
    } catch (error) {
      return { ok: false, error: toFailure(error) };
    }
  }

  return { handle, dispatch };
}
