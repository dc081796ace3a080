/**
 * The signed-in session, held by the background only. The token is written to `storage.session`,
 * or to `storage.local` when the owner ticked "stay signed in"; the password is used once and
 * never stored (signing up too: the account only exists once its e-mailed link is confirmed). Signing out ends the session on the server and removes everything it left here.
 * A session that expires or that the server no longer accepts only loses its credentials: the
 * forms being typed and the uploads stay for the same person signing in again.
 */
import { browser } from "wxt/browser";
import type { Me } from "@passerelle/shared";
import { ApiError, PasserelleClient } from "@passerelle/shared/client";
import {
  capabilitiesItem,
  companyIdItem,
  CREDENTIAL_ITEMS,
  keptForItem,
  profileItem,
  rememberedAuthItem,
  serverUrlItem,
  sessionAuthItem,
  SESSION_ITEMS,
  type Auth,
} from "../storage";
import type { CompanyChoice, SessionView } from "../protocol";
import { checkServerUrl } from "../server-url";
import { t, uiLanguage } from "../i18n";
import type { BackgroundEnv } from "./env";
import { fail, FailureError, toFailure } from "./failures";
import { currentCapabilities } from "./capabilities";

export type Session = ReturnType<typeof createSession>;

export function ownedCompanies(me: Me): CompanyChoice[] {
  return me.memberships.filter((m) => m.role === "owner").map((m) => ({ id: m.companyId, name: m.companyName }));
}

export function createSession(env: BackgroundEnv) {
  const expiredListeners: (() => Promise<void>)[] = [];
  const clientFor = (baseUrl: string, token?: string) => new PasserelleClient({ baseUrl, token, fetch: env.fetch, language: uiLanguage() });

  async function auth(): Promise<Auth | null> {
    const found = (await sessionAuthItem.getValue()) ?? (await rememberedAuthItem.getValue());
    if (!found) return null;
    if (Date.parse(found.expiresAt) <= env.now().getTime()) {
      await expire();
      return null;
    }
    return found;
  }

  async function clear(): Promise<void> {
    // `keptFor` first: a page seeing the profile go then knows this is a sign-out, not an expiry.
    await keptForItem.removeValue();
    await Promise.all(SESSION_ITEMS.map((item) => item.removeValue()));
  }

  /** The session is over but its owner's work is not: only the credentials go. */
  async function expire(): Promise<void> {
    // A session remembered across a browser restart has lost its `keptFor` with session storage.
    const ending = (await sessionAuthItem.getValue()) ?? (await rememberedAuthItem.getValue());
    if (ending && !(await keptForItem.getValue())) await keptForItem.setValue({ serverUrl: ending.serverUrl, userId: ending.user.id, email: ending.user.email });
    await Promise.all(CREDENTIAL_ITEMS.map((item) => item.removeValue()));
    for (const listener of expiredListeners) await listener();
  }

  /** A client carrying the session token, or a "signed out" failure. */
  async function client(): Promise<PasserelleClient> {
    const current = await auth();
    if (!current) throw fail("signed-out", t("errorSignedOut"));
    return clientFor(current.serverUrl, current.token);
  }

  /** Runs an API call; a 401 means the session is over, so its credentials are forgotten here too. */
  async function call<T>(run: (client: PasserelleClient) => Promise<T>): Promise<T> {
    const c = await client();
    try {
      return await run(c);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) await expire();
      throw await explain(error, c.baseUrl);
    }
  }

  /** Tells "the server is down" from "the browser did not let us reach it". */
  async function explain(error: unknown, serverUrl: string): Promise<unknown> {
    const failure = toFailure(error);
    if (failure.reason !== "unreachable") return error;
    const check = checkServerUrl(serverUrl);
    if (check.ok && check.needsPermission) {
      const granted = await browser.permissions.contains({ origins: [check.originPattern] }).catch(() => true);
      if (!granted) return fail("no-permission", t("errorNoPermission"));
    }
    return new FailureError(failure);
  }

  async function loadProfile(current: Auth): Promise<Me> {
    const me = await clientFor(current.serverUrl, current.token).me();
    await profileItem.setValue({ serverUrl: current.serverUrl, me, fetchedAt: env.now().getTime() });
    return me;
  }

  async function view(): Promise<SessionView | null> {
    const current = await auth();
    if (!current) return null;
    let profile = await profileItem.getValue();
    if (!profile || profile.serverUrl !== current.serverUrl) {
      // Restored from "stay signed in" after a browser restart: the profile was in session storage.
      await call(() => loadProfile(current));
      profile = await profileItem.getValue();
      if (!profile) return null;
    }
    const companies = ownedCompanies(profile.me);
    let companyId = await companyIdItem.getValue();
    if (!companies.some((c) => c.id === companyId)) {
      companyId = companies[0]?.id ?? null;
      await companyIdItem.setValue(companyId);
    }
    const capabilities = await currentCapabilities(env, current.serverUrl);
    return {
      serverUrl: current.serverUrl,
      user: current.user,
      companies,
      companyId,
      remember: current.remember,
      capabilities: { invoicePdf: capabilities.invoicePdf },
    };
  }

  async function signIn(input: { email: string; password: string; remember: boolean }): Promise<SessionView> {
    const serverUrl = await serverUrlItem.getValue();
    const anonymous = clientFor(serverUrl);
    let result;
    try {
      result = await anonymous.login({ email: input.email, password: input.password });
    } catch (error) {
      throw await explain(error, serverUrl);
    }
    // Work kept from an expired session is its owner's: anybody else starts from nothing.
    const kept = await keptForItem.getValue();
    if (kept && (kept.serverUrl !== serverUrl || kept.userId !== result.user.id)) await clear();
    else await Promise.all(CREDENTIAL_ITEMS.map((item) => item.removeValue()));
    await keptForItem.setValue({ serverUrl, userId: result.user.id, email: result.user.email });
    const current: Auth = { serverUrl, token: result.token, expiresAt: result.expiresAt, user: result.user, remember: input.remember };
    await (input.remember ? rememberedAuthItem : sessionAuthItem).setValue(current);
    await capabilitiesItem.removeValue();
    await call(() => loadProfile(current));
    const signedIn = await view();
    if (!signedIn) throw fail("signed-out", t("errorSignedOut"));
    return signedIn;
  }

  async function signUp(input: { name: string; email: string; password: string }): Promise<{ email: string }> {
    const serverUrl = await serverUrlItem.getValue();
    try {
      const asked = await clientFor(serverUrl).signup(input);
      return { email: asked.email };
    } catch (error) {
      throw await explain(error, serverUrl);
    }
  }

  async function signOut(): Promise<void> {
    const current = await auth();
    if (current) {
      // Best effort: the session is forgotten here even if the server cannot be reached.
      await clientFor(current.serverUrl, current.token).logout().catch(() => undefined);
    }
    await clear();
  }

  async function selectCompany(companyId: string): Promise<SessionView> {
    const profile = await profileItem.getValue();
    if (!profile || !ownedCompanies(profile.me).some((c) => c.id === companyId)) {
      throw fail("bad-message", t("errorNotFound"));
    }
    await companyIdItem.setValue(companyId);
    const updated = await view();
    if (!updated) throw fail("signed-out", t("errorSignedOut"));
    return updated;
  }

  /** `listener` runs after a session expired or was refused (the badge redraws without its figures). */
  function onExpired(listener: () => Promise<void>): void {
    expiredListeners.push(listener);
  }

  return { auth, client, call, clear, view, signIn, signUp, signOut, selectCompany, explain, onExpired };
}
