/** Preact hooks over the extension's storage and the background's replies. */
import { useEffect, useState } from "preact/hooks";
import type { WxtStorageItem } from "wxt/utils/storage";

/** The item's value, kept current as the background changes it; `undefined` until first read. */
export function useStorageValue<T>(item: WxtStorageItem<T, {}>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let alive = true;
    void item.getValue().then((v) => alive && setValue(() => v));
    const unwatch = item.watch((v) => setValue(() => v));
    return () => {
      alive = false;
      unwatch();
    };
  }, [item]);
  return value;
}

/** `value` once it has stopped changing for `ms` milliseconds (search boxes). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
