/**
 * What every screen of the invoicing view shares for the chosen company: the company itself
 * (payment terms, lock date), the lock in force, and the customers and products the pickers offer.
 */
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Company, Customer, LockStateOut, Product } from "@passerelle/shared";
import type { SessionView } from "../protocol";
import { api } from "../messaging";
import { parseRoute, routeHref, type Route } from "./route";

type Part = "company" | "customers" | "products";
/** How often what failed to load is asked for again. */
const LOAD_RETRY_MS = 3000;

export interface AppData {
  session: SessionView;
  companyId: string;
  company: Company | null;
  lock: LockStateOut | null;
  customers: Customer[] | null;
  products: Product[] | null;
  /** Why loading failed, if it did. */
  loadError: unknown;
  refresh: (what: Part) => Promise<void>;
  /** The outcome of the last action, shown on the screen it leads to ("Invoice F2026-00042 issued."), and only there. */
  flash: Flash | null;
  setFlash: (message: string | null, at?: Route) => void;
  /** A refusal to show on the screen the owner is sent to (a draft saved, then refused at issue). */
  handoff: Handoff | null;
  setHandoff: (handoff: Handoff | null) => void;
}

export interface Flash {
  message: string;
  /** The address of the screen that shows it. */
  href: string;
}

export interface Handoff {
  recordId: string;
  message: string;
  fields: Record<string, string>;
}

export const AppContext = createContext<AppData | null>(null);

export function useAppData(): AppData {
  const data = useContext(AppContext);
  if (!data) throw new Error("useAppData outside the invoicing view");
  return data;
}

/** Every page of a list, followed through its cursors. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export function useCompanyData(session: SessionView, companyId: string): AppData {
  const [company, setCompany] = useState<Company | null>(null);
  const [lock, setLock] = useState<LockStateOut | null>(null);
  const [customers, setCustomers] = useState<Customer[] | null>(null);
  const [products, setProducts] = useState<Product[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [flash, setFlashState] = useState<Flash | null>(null);
  const setFlash = useCallback((message: string | null, at?: Route) => {
    setFlashState(message === null ? null : { message, href: routeHref(at ?? parseRoute(location.hash)) });
  }, []);
  const [handoff, setHandoff] = useState<Handoff | null>(null);

  // What failed to load, tried again until the server answers: then the banner goes.
  const failed = useRef(new Set<Part>());
  const refresh = useCallback(
    async (what: Part) => {
      try {
        if (what === "company") {
          const [c, l] = await Promise.all([api("getCompany", companyId), api("locks", companyId)]);
          setCompany(c);
          setLock(l);
        } else if (what === "customers") {
          setCustomers(await allPages((cursor) => api("listCustomers", companyId, { limit: 1000, cursor })));
        } else {
          setProducts(await allPages((cursor) => api("listProducts", companyId, { limit: 1000, cursor })));
        }
        failed.current.delete(what);
        if (failed.current.size === 0) setLoadError(null);
      } catch (error) {
        failed.current.add(what);
        setLoadError(error);
      }
    },
    [companyId],
  );

  useEffect(() => {
    failed.current.clear();
    setCompany(null);
    setLock(null);
    setCustomers(null);
    setProducts(null);
    setLoadError(null);
    void refresh("company");
    void refresh("customers");
    void refresh("products");
  }, [companyId, refresh]);

  useEffect(() => {
    if (!loadError) return;
    const retry = () => [...failed.current].forEach((part) => void refresh(part));
    const timer = setInterval(retry, LOAD_RETRY_MS);
    window.addEventListener("online", retry);
    return () => {
      clearInterval(timer);
      window.removeEventListener("online", retry);
    };
  }, [loadError, refresh]);

  return { session, companyId, company, lock, customers, products, loadError, refresh, flash, setFlash, handoff, setHandoff };
}
