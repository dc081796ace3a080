/**
 * What the app's own route declarations say about a request, before any route runs: which methods
 * its path answers (for 405), and whether its route is public (declared without `security`), so the
 * declarations and the authentication rule cannot drift apart.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { METHOD_NAME_ALL } from "hono/router";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "../context.js";

export interface RouteTable {
  /** The methods some route answers on this path (empty: no route has this path). */
  methodsOf(path: string): string[];
  /** A route declared without `security` answers this method and path. */
  isPublic(method: string, path: string): boolean;
}

const routingPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");

/** Read from the app on first use, once every route has been registered. */
export function routeTable(app: OpenAPIHono<AppEnv>): RouteTable {
  let built: { methods: TrieRouter<string>; open: TrieRouter<true> } | undefined;
  const table = () => {
    if (built) return built;
    const methods = new TrieRouter<string>();
    // middleware (`use`) is registered for every method; only real routes say what a path answers
    for (const r of app.routes) if (r.method !== METHOD_NAME_ALL) methods.add(METHOD_NAME_ALL, r.path, r.method);
    const open = new TrieRouter<true>();
    for (const d of app.openAPIRegistry.definitions) {
      if (d.type === "route" && !d.route.security?.length) open.add(d.route.method.toUpperCase(), routingPath(d.route.path), true);
    }
    built = { methods, open };
    return built;
  };
  return {
    methodsOf(path) {
      const found = new Set(table().methods.match("GET", path)[0].map(([method]) => method));
      if (found.has("GET")) found.add("HEAD");
      return [...found].sort();
    },
    isPublic(method, path) {
      return table().open.match(method === "HEAD" ? "GET" : method, path)[0].length > 0;
    },
  };
}
