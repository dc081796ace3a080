/** Words for the API's codes, in the owner's language. */
import type { PaymentMethod } from "@passerelle/shared";
import type { MessageKey } from "../i18n";

export const METHOD_LABELS: Record<PaymentMethod, MessageKey> = {
  transfer: "appMethodTransfer",
  card: "appMethodCard",
  cheque: "appMethodCheque",
  cash: "appMethodCash",
  other: "appMethodOther",
};
