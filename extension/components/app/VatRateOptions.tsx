import { formatVatRate, VAT_RATE_GROUPS } from "../../lib/app/product-form";

/** The French VAT rates as <option>s, mainland first. */
export function VatRateOptions() {
  return (
    <>
      {VAT_RATE_GROUPS.map((group) => (
        <optgroup key={group.rates[0]} label={group.label()}>
          {group.rates.map((rate) => (
            <option key={rate} value={String(rate)}>
              {formatVatRate(rate)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
