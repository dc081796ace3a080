/** Shows one invoice's PDF: the background fetches it with the session token, this page displays the bytes. */
import "../../components/theme.css";
import { describeFailure, send } from "../../lib/messaging";
import { t, uiLanguage } from "../../lib/i18n";
import { base64ToBytes } from "../../lib/base64";

async function show(): Promise<void> {
  document.documentElement.lang = uiLanguage();
  const params = new URLSearchParams(location.search);
  const companyId = params.get("company") ?? "";
  const invoiceId = params.get("invoice") ?? "";
  const status = document.getElementById("status")!;
  document.title = t("invoicePdfTitle", params.get("number") ?? "");
  status.textContent = t("loading");
  try {
    const pdf = await send({ kind: "invoice.pdf", companyId, invoiceId });
    const url = URL.createObjectURL(new Blob([base64ToBytes(pdf.base64)], { type: "application/pdf" }));
    const frame = document.createElement("iframe");
    frame.className = "pdf-frame";
    frame.title = pdf.fileName;
    frame.src = url;
    const download = document.createElement("a");
    download.href = url;
    download.download = pdf.fileName;
    download.textContent = t("download", pdf.fileName);
    status.replaceChildren(download);
    document.body.append(frame);
  } catch (e) {
    status.textContent = describeFailure(e);
  }
}

void show();
