/**
 * The signed-in session, held by the background only. The token is written to `storage.session`,
 * or to `storage.local` when the owner ticked "stay signed in"; the password is used once and
 * never stored (signing up too: the account only exists once its e-mailed link is confirmed). Signing out ends the session on the server and removes everything it left here.
 */
import { browser } from "wxt/browser";
import type { Me } from "@passerelle/shared";
import { ApiError, PasserelleClient } from "@passerelle/shared/client";
import {
  capabilitiesItem,
  companyIdItem,
  profileItem,
  rememberedAuthItem,
  serverUrlItem,
  sessionAuthItem,
  SESSION_ITEMS,
  type Auth,
} from "../storage";
import type { CompanyChoice, SessionView } from "../protocol";
import { checkServerUrl } from "../server-url";
import { t } from "../i18n";
import type { BackgroundEnv } from "./env";
import { fail, FailureError, toFailure } from "./failures";
import { currentCapabilities } from "./capabilities";

export type Session = ReturnType<typeof createSession>;

export function ownedCompanies(me: Me): CompanyChoice[] {
  return me.memberships.filter((m) => m.role === "owner").map((m) => ({ id: m.companyId, name: m.companyName }));
}

export function createSession(env: BackgroundEnv) {
  const clientFor = (baseUrl: string, token?: string) => new PasserelleClient({ baseUrl, token, fetch: env.fetch });

  async function auth(): Promise<Auth | null> {
    const found = (await sessionAuthItem.getValue()) ?? (await rememberedAuthItem.getValue());
    if (!found) return null;
    if (Date.parse(found.expiresAt) <= env.now().getTime()) {
      await clear();
      return null;
    }
    return found;
  }

  async function clear(): Promise<void> {
    await Promise.all(SESSION_ITEMS.map((item) => item.removeValue()));
  }

  /** A client carrying the session token, or a "signed out" failure. */
  async function client(): Promise<PasserelleClient> {
    const current = await auth();
    if (!current) throw fail("signed-out", t("errorSignedOut"));
    return clientFor(current.serverUrl, current.token);
  }

  /** Runs an API call; a 401 means the session is over, so it is forgotten here too. */
  async function call<T>(run: (client: PasserelleClient) => Promise<T>): Promise<T> {
    const c = await client();
    try {
      return await run(c);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) await clear();
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
    await clear();
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

  return { auth, client, call, clear, view, signIn, signUp, signOut, selectCompany, explain };
}
