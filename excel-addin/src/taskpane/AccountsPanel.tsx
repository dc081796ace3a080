import { useEffect, useState } from "preact/hooks";
import type { Company } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import type { ExcelRun } from "../excel/host.js";
import { insertAccountSheet, readAccountSheets, saveAccountSheet, type SavedAccountSheet } from "../excel/account-sheet.js";
import type { Language } from "../language.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

/** "Comptes": the company's account codes in a sheet of the workbook, edited there and saved from here. */
export function AccountsPanel(props: { t: Strings; lang: Language; run: ExcelRun; client: PasserelleClient; company: Company; onSignedOut: () => void }) {
  const { t, lang, run, client, company } = props;
  const [sheet, setSheet] = useState<SavedAccountSheet | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  useEffect(() => {
    readAccountSheets(run).then((all) => setSheet(all.find((s) => s.companyId === company.id) ?? null), () => setSheet(null));
  }, [company.id]);

  async function work(job: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    try {
      await job();
    } catch (e) {
      const x = explain(e, t);
      setMessage({ text: x.message, error: true });
      if (x.signedOut) props.onSignedOut();
    } finally {
      setBusy(false);
    }
  }

  const insert = () =>
    work(async () => {
      const saved = await insertAccountSheet(run, client, { companyId: company.id, companyName: company.name, siren: company.siren }, lang);
      setSheet(saved);
      setMessage({ text: t.accounts.inserted(saved.sheetName, saved.rows), error: false });
    });

  const save = () =>
    work(async () => {
      if (!sheet) return setMessage({ text: t.accounts.noSheet, error: true });
      const outcome = await saveAccountSheet(run, client, sheet);
      setMessage(outcome.saved ? { text: t.accounts.saved(outcome.rows), error: false } : { text: t.accounts.refused(outcome.refusedRows), error: true });
    });

  const accountant = company.role === "accountant";
  return (
    <section class="card" aria-label={t.accounts.title}>
      <h2>{t.accounts.title}</h2>
      <p class="muted">{t.accounts.intro}</p>
      {!accountant && <p class="muted">{t.accounts.ownerReadOnly}</p>}
      <div class="row">
        <button type="button" disabled={busy} onClick={() => void insert()}>{t.accounts.insert}</button>
        {accountant && <button type="button" class="primary" disabled={busy || !sheet} onClick={() => void save()}>{t.accounts.save}</button>}
      </div>
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"} data-testid="accounts-message">{message.text}</p>}
    </section>
  );
}
