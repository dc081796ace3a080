import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { serverUrlItem } from "../../lib/storage";
import { checkServerUrl } from "../../lib/server-url";
import { describeFailure, send } from "../../lib/messaging";
import { t } from "../../lib/i18n";
import { TextField } from "../../components/TextField";
import { Notice } from "../../components/Notice";

type Outcome = { kind: "success" | "error" | "info"; text: string } | null;

/**
 * The server address. An https server other than this machine is asked for as an optional host
 * permission when saved (the request must come straight from the click), and the permission of
 * the previous one is given back.
 */
export function App() {
  const [saved, setSaved] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void serverUrlItem.getValue().then((value) => (setSaved(value), setUrl(value)));
  }, []);

  async function testConnection(target: string) {
    try {
      const { version } = await send({ kind: "server.check", url: target });
      setOutcome({ kind: "success", text: t("serverReachable", target, version) });
    } catch (e) {
      setOutcome({ kind: "error", text: describeFailure(e) });
    }
  }

  function save(event: Event) {
    event.preventDefault();
    setOutcome(null);
    const check = checkServerUrl(url);
    if (!check.ok) {
      setFieldError(t(check.reason === "insecure" ? "serverInsecure" : "serverInvalid"));
      return;
    }
    setFieldError(undefined);
    // Asked before any await: browsers only show the prompt while handling the click.
    const granted = check.needsPermission ? browser.permissions.request({ origins: [check.originPattern] }) : Promise.resolve(true);
    setBusy(true);
    void (async () => {
      try {
        if (!(await granted)) {
          setOutcome({ kind: "error", text: t("serverPermissionDenied", check.url) });
          return;
        }
        const previous = saved ? checkServerUrl(saved) : null;
        if (previous?.ok && previous.needsPermission && previous.originPattern !== check.originPattern) {
          await browser.permissions.remove({ origins: [previous.originPattern] }).catch(() => false);
        }
        await serverUrlItem.setValue(check.url);
        await send({ kind: "server.changed" });
        setSaved(check.url);
        setUrl(check.url);
        setOutcome({ kind: "info", text: t("serverSaved", check.url) });
        await testConnection(check.url);
      } catch (e) {
        setOutcome({ kind: "error", text: describeFailure(e) });
      } finally {
        setBusy(false);
      }
    })();
  }

  return (
    <main class="page options-page">
      <h1>{t("optionsTitle")}</h1>
      <form class="stack" onSubmit={save} noValidate aria-busy={busy}>
        <TextField
          label={t("serverUrl")}
          type="url"
          name="server-url"
          value={url}
          onInput={(v) => (setUrl(v), setFieldError(undefined))}
          error={fieldError}
          hint={t("serverUrlHint")}
        />
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {t("save")}
          </button>
          <button type="button" class="button secondary" disabled={busy || !saved} onClick={() => saved && void testConnection(saved)}>
            {t("serverTest")}
          </button>
        </div>
      </form>
      {outcome ? (
        <Notice kind={outcome.kind} testId="options-outcome">
          {outcome.text}
        </Notice>
      ) : null}
      <p class="muted">{t("optionsPrivacy")}</p>
    </main>
  );
}
