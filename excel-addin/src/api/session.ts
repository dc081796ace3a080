/**
 * The signed-in state shared by the task pane and the custom functions (one JavaScript runtime):
 * the API's address, the token, who is signed in. Kept in localStorage under the Office
 * partition key, so each Office partition (and each Excel on the web origin) has its own.
 */
import { PasserelleClient } from "@passerelle/shared/client";
import { displayLanguage } from "../language.js";

export interface StoredSession {
  baseUrl: string;
  token: string;
  label: string; // e-mail, or "clé API psk_…" for a key
}

type Listener = (session: StoredSession | null) => void;

const listeners = new Set<Listener>();
let current: StoredSession | null = null;
let loaded = false;

function storageKey(): string {
  const partition = typeof Office !== "undefined" ? (Office.context?.partitionKey ?? "") : "";
  return `passerelle:${partition}:session`;
}

/** The add-in is served by the API: its own origin is the API's, unless the user chose another. */
export function defaultBaseUrl(): string {
  return globalThis.location?.origin ?? "http://localhost:8787";
}

export function currentSession(): StoredSession | null {
  if (!loaded) {
    loaded = true;
    try {
      const raw = globalThis.localStorage?.getItem(storageKey());
      current = raw ? (JSON.parse(raw) as StoredSession) : null;
    } catch {
      current = null;
    }
  }
  return current;
}

export function setSession(session: StoredSession | null): void {
  current = session;
  loaded = true;
  try {
    if (session) globalThis.localStorage?.setItem(storageKey(), JSON.stringify(session));
    else globalThis.localStorage?.removeItem(storageKey());
  } catch {
    // storage may be unavailable (private mode); the session then lasts as long as the runtime
  }
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A client for the current session, or null when signed out. */
export function sessionClient(): PasserelleClient | null {
  const session = currentSession();
  return session ? new PasserelleClient({ baseUrl: session.baseUrl, token: session.token, language: displayLanguage() }) : null;
}
