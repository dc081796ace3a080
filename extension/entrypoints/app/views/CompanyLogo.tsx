import { useEffect, useState } from "preact/hooks";
import { LOGO_MAX_BYTES } from "@passerelle/shared/logo";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { formProblem } from "../../../lib/app/form-errors";
import { bytesToBase64 } from "../../../lib/base64";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";

/**
 * The logo printed on the company's documents: shown as it is stored, replaced by choosing a file
 * (sent at once), removed. Documents already issued keep the logo they were issued with.
 */
export function CompanyLogo() {
  const data = useAppData();
  const { companyId, company } = data;
  const logo = company?.logo ?? null;
  const [preview, setPreview] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // the stored bytes, as a data: URL (the page holds no token; the background fetches them)
  useEffect(() => {
    setPreview(null);
    if (!logo) return;
    let current = true;
    void api("companyLogo", companyId).then(
      (l) => current && setPreview(`data:${l.mediaType};base64,${l.base64}`),
      () => current && setPreview(null),
    );
    return () => {
      current = false;
    };
  }, [companyId, logo?.sha256]);

  async function change(send: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await send();
      await data.refresh("company");
      data.setFlash(done);
    } catch (e) {
      const p = formProblem(e, (path) => (path === "contentBase64" ? path : null));
      setError(p.fields.contentBase64 ?? p.message);
    } finally {
      setBusy(false);
    }
  }

  async function choose(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    if (file.size > LOGO_MAX_BYTES) {
      setError(t("appLogoTooBig", Math.ceil(file.size / 1024)));
      return;
    }
    const contentBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    await change(() => api("setCompanyLogo", companyId, { contentBase64 }), t("appLogoSaved"));
  }

  return (
    <section class="stack editor" aria-labelledby="logo-title">
      <h2 id="logo-title">{t("appLogo")}</h2>
      <p class="muted">{t("appLogoHint")}</p>
      {logo ? (
        <figure class="company-logo">
          {preview ? <img src={preview} alt={t("appLogoAlt", company?.name ?? "")} data-testid="company-logo" style={{ maxWidth: "240px", maxHeight: "80px" }} /> : null}
          <figcaption class="muted">{t("appLogoFacts", logo.mediaType.replace("image/", "").replace("+xml", "").toUpperCase(), logo.width, logo.height, Math.ceil(logo.sizeBytes / 1024))}</figcaption>
        </figure>
      ) : (
        <p class="muted" data-testid="no-logo">
          {t("appLogoNone")}
        </p>
      )}
      {error ? (
        <Notice kind="error" testId="logo-problem">
          {error}
        </Notice>
      ) : null}
      <div class="form-actions">
        <label class="button">
          {busy ? t("appSaving") : logo ? t("appLogoReplace") : t("appLogoChoose")}
          <input type="file" class="visually-hidden" accept="image/png,image/jpeg,image/svg+xml" disabled={busy} onChange={(e) => void choose(e)} data-testid="logo-file" />
        </label>
        {logo ? (
          <button type="button" class="button" disabled={busy} onClick={() => void change(() => api("removeCompanyLogo", companyId), t("appLogoRemoved"))}>
            {t("appLogoRemove")}
          </button>
        ) : null}
      </div>
    </section>
  );
}
