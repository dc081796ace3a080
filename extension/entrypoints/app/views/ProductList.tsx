import { useMemo, useState } from "preact/hooks";
import { formatVatRate } from "@passerelle/shared/vat";
import { useAppData } from "../../../lib/app/data";
import { routeHref } from "../../../lib/app/route";
import { formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { FlashNotice } from "../../../components/app/FlashNotice";

const fold = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

/** Products and services with their price HT and VAT rate, searched as one types. */
export function ProductList() {
  const { products } = useAppData();
  const [query, setQuery] = useState("");
  const shown = useMemo(() => {
    const q = fold(query.trim());
    return (products ?? []).filter((p) => !q || [p.name, p.category ?? "", p.description ?? ""].some((v) => fold(v).includes(q)));
  }, [products, query]);
  return (
    <section class="stack" aria-labelledby="products-title" aria-busy={products === null}>
      <div class="screen-head">
        <h1 id="products-title">{t("appNavProducts")}</h1>
        <a class="button secondary" href={routeHref({ view: "product-new" })}>
          {t("appNewProduct")}
        </a>
      </div>
      <FlashNotice />
      <input type="search" class="search" aria-label={t("appProductsSearch")} placeholder={t("appProductsSearch")} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {products === null ? (
        <p class="muted">{t("loading")}</p>
      ) : shown.length === 0 ? (
        <p class="muted empty">{query ? t("appNoMatch", query) : t("appNoProducts")}</p>
      ) : (
        <table class="list" data-testid="product-list">
          <thead>
            <tr>
              <th scope="col">{t("appName")}</th>
              <th scope="col" class="num">
                {t("appUnitPriceHt")}
              </th>
              <th scope="col" class="num">
                {t("appVatRate")}
              </th>
              <th scope="col" class="wide-only">
                {t("appKind")}
              </th>
              <th scope="col" class="wide-only">
                {t("appCategory")}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={routeHref({ view: "product", id: p.id })}>{p.name}</a>
                </td>
                <td class="num">{formatEuros(p.unitPriceCents)}</td>
                <td class="num">{formatVatRate(p.vatRateBp)}</td>
                <td class="wide-only">{p.kind === "goods" ? t("appKindGoods") : t("appKindServices")}</td>
                <td class="wide-only">{p.category ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
