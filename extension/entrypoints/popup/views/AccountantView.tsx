import { useEffect, useState } from "preact/hooks";
import type { Accountant, Invitation } from "@passerelle/shared";
import { api, describeFailure, RemoteError } from "../../../lib/messaging";
import { formatTimestampDate } from "../../../lib/format";
import { isPlausibleEmail } from "../../../lib/email";
import { t } from "../../../lib/i18n";
import { TextField } from "../../../components/TextField";
import { Notice } from "../../../components/Notice";
import { ConfirmButton } from "../../../components/ConfirmButton";

interface Access {
  accountants: Accountant[];
  invitations: Invitation[];
}

type Outcome = { kind: "success" | "error"; text: string } | null;

/** Who sees the books: accountants with access, invitations on their way, and inviting one. */
export function AccountantView(props: { companyId: string }) {
  const { companyId } = props;
  const [access, setAccess] = useState<Access | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function load() {
    try {
      const [accountants, invitations] = await Promise.all([api("listAccountants", companyId), api("listInvitations", companyId)]);
      setAccess({ accountants: accountants.items, invitations: invitations.items });
      setLoadError(null);
    } catch (e) {
      setLoadError(describeFailure(e));
    }
  }

  useEffect(() => {
    void load();
  }, [companyId]);

  async function act(work: () => Promise<string>) {
    setOutcome(null);
    try {
      setOutcome({ kind: "success", text: await work() });
    } catch (e) {
      setOutcome({ kind: "error", text: describeFailure(e) });
    }
    await load();
  }

  const waiting = access?.invitations.filter((i) => i.status === "pending" || i.status === "expired") ?? [];
  return (
    <div class="stack">
      {outcome ? (
        <Notice kind={outcome.kind} testId="access-outcome">
          {outcome.text}
        </Notice>
      ) : null}
      <InviteForm companyId={companyId} onInvited={(text) => (setOutcome({ kind: "success", text }), load())} />
      {loadError ? <Notice kind="error">{loadError}</Notice> : null}
      {access === null && !loadError ? <p class="muted">{t("loading")}</p> : null}
      {access ? (
        <>
          <section aria-labelledby="accountants-title">
            <h2 id="accountants-title">{t("accessTitle")}</h2>
            {access.accountants.length === 0 ? (
              <p class="muted empty">{t("accessNone")}</p>
            ) : (
              <ul class="rows" data-testid="accountant-list">
                {access.accountants.map((a) => (
                  <li key={a.userId} class="row">
                    <div>
                      <strong>{a.name}</strong>
                      <span class="muted">{a.email}</span>
                      <span class="muted">{t("accessSince", formatTimestampDate(a.since))}</span>
                    </div>
                    <ConfirmButton
                      label={t("accessRevoke")}
                      question={t("accessRevokeQuestion", a.name)}
                      confirmLabel={t("accessRevokeConfirm")}
                      onConfirm={() => act(async () => (await api("removeAccountant", companyId, a.userId), t("accessRevoked", a.name)))}
                    />
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="invitations-title">
            <h2 id="invitations-title">{t("invitationsTitle")}</h2>
            {waiting.length === 0 ? (
              <p class="muted empty">{t("invitationsNone")}</p>
            ) : (
              <ul class="rows" data-testid="invitation-list">
                {waiting.map((i) => (
                  <InvitationItem key={i.id} invitation={i} companyId={companyId} act={act} />
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

function InvitationItem(props: { invitation: Invitation; companyId: string; act: (work: () => Promise<string>) => Promise<void> }) {
  const { invitation: i, companyId, act } = props;
  const expired = i.status === "expired";
  return (
    <li class="row" data-status={i.status}>
      <div>
        <strong>{i.email}</strong>
        <span class={expired ? "muted warning" : "muted"}>
          {expired ? t("invitationExpired", formatTimestampDate(i.expiresAt)) : t("invitationValidUntil", formatTimestampDate(i.expiresAt))}
        </span>
        {i.deliveryStatus === "failed" ? <span class="warning">{t("invitationNotDelivered")}</span> : null}
      </div>
      <div class="row-actions">
        <button
          type="button"
          class="button-link"
          onClick={() =>
            act(async () => {
              const renewed = await api("resendInvitation", companyId, i.id);
              return t("invitationResent", renewed.email, formatTimestampDate(renewed.expiresAt));
            })
          }
        >
          {t("invitationResend")}
        </button>
        <ConfirmButton
          label={t("invitationRevoke")}
          question={t("invitationRevokeQuestion", i.email)}
          confirmLabel={t("invitationRevokeConfirm")}
          keepLabel={t("invitationKeep")}
          onConfirm={() => act(async () => (await api("revokeInvitation", companyId, i.id), t("invitationRevoked", i.email)))}
        />
      </div>
    </li>
  );
}

function InviteForm(props: { companyId: string; onInvited: (text: string) => void }) {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const address = email.trim();
    if (!isPlausibleEmail(address)) {
      setError(t("inviteEmailInvalid"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const invitation = await api("inviteAccountant", props.companyId, address);
      setEmail("");
      props.onInvited(t("inviteSent", invitation.email, formatTimestampDate(invitation.expiresAt)));
    } catch (e) {
      setError(e instanceof RemoteError && e.fieldMessage("email") ? `${t("inviteEmailRefused")} (${e.fieldMessage("email")})` : describeFailure(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack invite" onSubmit={submit} noValidate aria-busy={busy}>
      <h2>{t("inviteTitle")}</h2>
      <p class="muted">{t("inviteExplain")}</p>
      <TextField label={t("inviteEmail")} type="email" name="accountant-email" placeholder="cabinet@exemple.fr" value={email} onInput={(v) => (setEmail(v), setError(undefined))} error={error} />
      <button type="submit" class="button primary" disabled={busy || email.trim() === ""}>
        {busy ? t("inviteSending") : t("inviteSubmit")}
      </button>
    </form>
  );
}
