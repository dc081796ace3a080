/** How extension pages talk to the background: typed calls that throw `RemoteError` on failure. */
import { browser } from "wxt/browser";
import type { ApiArgs, ApiMethod, ApiResult, Envelope, Failure, MessageKind, MessageOf, ReplyOf } from "./protocol";
import { t } from "./i18n";
import { failureText } from "./failure";

export class RemoteError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.detail ?? failure.title);
    this.name = "RemoteError";
  }

  /** The API's message for one field (problem+json `errors[].path`). */
  fieldMessage(path: string): string | undefined {
    return this.failure.errors?.find((e) => e.path === path)?.message;
  }
}

export async function send<K extends MessageKind>(message: MessageOf<K>): Promise<ReplyOf<K>> {
  let envelope: Envelope<ReplyOf<K>> | undefined;
  try {
    envelope = (await browser.runtime.sendMessage(message)) as Envelope<ReplyOf<K>> | undefined;
  } catch (error) {
    throw new RemoteError({ status: 0, reason: "bad-message", title: t("errorBackground"), detail: String(error) });
  }
  if (!envelope) throw new RemoteError({ status: 0, reason: "bad-message", title: t("errorBackground") });
  if (!envelope.ok) throw new RemoteError(envelope.error);
  return envelope.value;
}

/** Calls one method of the API client held by the background, e.g. `api("listInvoices", companyId, { q })`. */
export function api<M extends ApiMethod>(method: M, ...args: ApiArgs<M>): Promise<ApiResult<M>> {
  return send({ kind: "api", method, args: args as unknown[] }) as Promise<ApiResult<M>>;
}

/** One sentence for the owner: what went wrong, in their language. */
export function describeFailure(error: unknown): string {
  return error instanceof RemoteError ? failureText(error.failure) : t("errorUnexpected");
}
