/**
 * What the app's own route declarations say about a request, before any route runs: whether its
 * route is public (declared without `security`), so the declarations and the authentication rule
 * cannot drift apart.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { TrieRouter } from "hono/router/trie-router";
import type { AppEnv } from "../context.js";

export interface RouteTable {
  /** A route declared without `security` answers this method and path. */
  isPublic(method: string, path: string): boolean;
}

const routingPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");

/** Read from the app on first use, once every route has been registered. */
export function routeTable(app: OpenAPIHono<AppEnv>): RouteTable {
  let built: { open: TrieRouter<true> } | undefined;
  const table = () => {
    if (built) return built;
    const open = new TrieRouter<true>();
    for (const d of app.openAPIRegistry.definitions) {
      if (d.type === "route" && !d.route.security?.length) open.add(d.route.method.toUpperCase(), routingPath(d.route.path), true);
    }
    built = { open };
    return built;
  };
  return {
    isPublic(method, path) {
      return table().open.match(method === "HEAD" ? "GET" : method, path)[0].length > 0;
    },
  };
}
