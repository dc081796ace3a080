/**
 * A screen loaded when it is first shown: the invoicing view opens on its home screen and lists
 * with their own code only, and fetches the code of the other screens (quotes, customers,
 * products, the company's settings) from the package the first time the owner goes there.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (Screen) return;
      let live = true;
      pending ??= load().then((c) => (loaded = c));
      void pending.then((c) => live && setScreen(() => c));
      return () => {
        live = false;
      };
    }, []);
    return Screen ? <Screen {...props} /> : <p class="loading" aria-busy="true">{t("loading")}</p>;
  };
}
