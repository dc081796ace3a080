/**
 * The custom functions as Excel calls them (streaming: the last argument is the invocation).
 * They share the task pane's runtime, so they use its session.
 */
import { sessionClient, onSessionChange } from "../api/session.js";
import { displayLanguage } from "../language.js";
import { CellError, LiveFunctions, type Sink } from "./live-functions.js";

export const engine = new LiveFunctions({ client: sessionClient, lang: displayLanguage });
onSessionChange(() => engine.sessionChanged());

function sink<T>(invocation: CustomFunctions.StreamingInvocation<T>): Sink<T> {
  return {
    result: (value) => invocation.setResult(value),
    error: (error: CellError) =>
      invocation.setResult(
        new CustomFunctions.Error(error.code === "#VALUE!" ? CustomFunctions.ErrorCode.invalidValue : CustomFunctions.ErrorCode.notAvailable, error.message) as unknown as T,
      ),
  };
}

/**
 * Sales total of a company over a period, live.
 * @param company name, SIREN or id
 * @param from first date (included)
 * @param to last date (included)
 * @param measure "HT" (default), "TVA" or "TTC"
 * @param vatRate only this VAT rate, e.g. 20 or 5.5
 */
export function total(
  company: string,
  from: unknown,
  to: unknown,
  measure: string | null | undefined,
  vatRate: number | null | undefined,
  invocation: CustomFunctions.StreamingInvocation<number>,
): void {
  invocation.onCanceled = engine.total(company, from, to, measure, vatRate, sink(invocation));
}

/** The sales journal of a company over a period, with a header row, live. */
export function journal(company: string, from: unknown, to: unknown, invocation: CustomFunctions.StreamingInvocation<(string | number)[][]>): void {
  invocation.onCanceled = engine.journal(company, from, to, sink(invocation));
}

/** Excel calls functions by the ids of functions.json. */
export const IMPLEMENTATIONS = { TOTAL: total, JOURNAL: journal } as const;
