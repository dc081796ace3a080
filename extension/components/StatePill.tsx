import type { PaymentState } from "@passerelle/shared";
import { paymentStateLabel } from "../lib/format";

export function StatePill(props: { state: PaymentState }) {
  return <span class={`pill pill-${props.state}`}>{paymentStateLabel(props.state)}</span>;
}
