/**
 * Passerelle over HTTPS on localhost, for sideloading the add-in (Office loads add-ins over HTTPS
 * only): the API and the built add-in on one origin, https://localhost:3000, with the
 * certificates of `office-addin-dev-certs` (it creates a local CA on first use and asks to trust
 * it — on Linux through sudo). HTTP/2 (HTTP/1.1 still answered): the pane's requests share one
 * connection. Run: npm run addin:https  (PORT=3443 to change the port)
 */
import fs from "node:fs";
import http2 from "node:http2";
import os from "node:os";
import path from "node:path";
import { serve } from "@hono/node-server";
import { getHttpsServerOptions } from "office-addin-dev-certs";
import { configFromEnv } from "../../api/src/config.js";
import { createDeps } from "../../api/src/deps.js";
import { createApp } from "../../api/src/app.js";
import { ensureDemo } from "../../api/src/demo/seed.js";

const port = Number(process.env.PORT ?? 3000);
const config = configFromEnv({ ...process.env, PORT: String(port), PUBLIC_URL: process.env.PUBLIC_URL ?? `https://localhost:${port}` });
const tls = await certificates();
const deps = createDeps(config);
const demo = process.env.PASSERELLE_DEMO === "0" ? null : await ensureDemo(deps);
const app = createApp(deps);

const server = serve({ fetch: app.fetch, port, hostname: config.host, createServer: http2.createSecureServer, serverOptions: { key: tls.key, cert: tls.cert, allowHTTP1: true } }, () => {
  const base = config.publicUrl;
  console.log(
    [
      "",
      `Passerelle over HTTPS — ${base}`,
      `  Task pane  ${base}/addin/taskpane.html`,
      `  Manifest   ${base}/addin/manifest.xml   (this server's URLs; manifest.xml in the repository points to port 3000)`,
      `  API        ${base}/api/v1`,
      ...(demo ? [`  Demo owner ${demo.owner.email} / ${demo.owner.password}`] : []),
      "",
    ].join("\n"),
  );
});

/** The dev certificates; when their CA cannot be trusted automatically (no sudo), serve them anyway and say how to trust it. */
async function certificates(): Promise<{ key: Buffer; cert: Buffer }> {
  try {
    return await getHttpsServerOptions();
  } catch (error) {
    const dir = path.join(os.homedir(), ".office-addin-dev-certs");
    const [key, cert] = [path.join(dir, "localhost.key"), path.join(dir, "localhost.crt")];
    if (!fs.existsSync(key) || !fs.existsSync(cert)) throw error;
    console.warn(
      `The local CA could not be trusted automatically (${(error as Error).message.split("\n")[0]}).\n` +
        `Trust ${path.join(dir, "ca.crt")} yourself (npx office-addin-dev-certs install, as an administrator) or Office will refuse the add-in.`,
    );
    return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  }
}

function shutdown() {
  server.close();
  deps.db.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
