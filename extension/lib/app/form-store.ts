/**
 * Forms that survive: every change the owner makes in an invoicing form is written to
 * `storage.session` at once, so a failed save, a closed tab or a reload loses nothing. A form's
 * copy is removed when the API has accepted it (or the owner discards it); signing out removes all.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { appFormsItem } from "../storage";

export interface StoredForm {
  value: unknown;
  savedAt: number;
}

/** Writes one form at a time, each on the latest stored record, so two forms never overwrite each other. */
let writes: Promise<unknown> = Promise.resolve();
function change(run: (forms: Record<string, StoredForm>) => Record<string, StoredForm>): Promise<void> {
  const next = writes.then(async () => appFormsItem.setValue(run(await appFormsItem.getValue())));
  writes = next.catch(() => undefined);
  return next;
}

export function storeForm(key: string, value: unknown): Promise<void> {
  return change((forms) => ({ ...forms, [key]: { value, savedAt: Date.now() } }));
}

export function forgetForm(key: string): Promise<void> {
  return change((forms) => {
    if (!(key in forms)) return forms;
    const { [key]: _gone, ...rest } = forms;
    return rest;
  });
}

export async function storedForm<T>(key: string): Promise<T | undefined> {
  await writes;
  return (await appFormsItem.getValue())[key]?.value as T | undefined;
}

export interface PersistentForm<T> {
  /** undefined while the stored copy is being looked for. */
  value: T | undefined;
  /** The form holds changes from before a reload or a failed save, not the saved record. */
  restored: boolean;
  /** Changes not yet accepted by the API. */
  dirty: boolean;
  set: (next: T | ((current: T) => T)) => void;
  /** The API accepted the form: forget the stored copy and show `saved`. */
  accept: (saved: T) => Promise<void>;
  /** Back to `base`, forgetting the changes. */
  discard: () => Promise<void>;
}

/**
 * The form stored under `key`, else `base` (the record as the API has it, or an empty form).
 * `base` undefined means it is still loading.
 */
export function usePersistentForm<T>(key: string, base: T | undefined): PersistentForm<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [restored, setRestored] = useState(false);
  const [dirty, setDirty] = useState(false);
  const current = useRef<T | undefined>(undefined);

  useEffect(() => {
    let alive = true;
    current.current = undefined;
    setValue(undefined);
    if (base === undefined) return;
    void storedForm<T>(key).then((stored) => {
      if (!alive) return;
      const start = stored ?? base;
      current.current = start;
      setValue(() => start);
      setRestored(stored !== undefined);
      setDirty(stored !== undefined);
    });
    return () => {
      alive = false;
    };
  }, [key, base]);

  return {
    value,
    restored,
    dirty,
    set(next) {
      if (current.current === undefined) return;
      const updated = typeof next === "function" ? (next as (c: T) => T)(current.current) : next;
      current.current = updated;
      setValue(() => updated);
      setDirty(true);
      void storeForm(key, updated);
    },
    async accept(saved) {
      current.current = saved;
      setValue(() => saved);
      setRestored(false);
      setDirty(false);
      await forgetForm(key);
    },
    async discard() {
      await forgetForm(key);
      current.current = base;
      setValue(() => base);
      setRestored(false);
      setDirty(false);
    },
  };
}
