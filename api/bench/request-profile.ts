/**
 * `npx tsx --cpu-prof bench/request-profile.ts <firm data set .db> [requests]`
 *
 * Where a read request's CPU goes, end to end in process (`app.request`): the accountant's journal
 * page (1,000 rows), `GET …/changes` of one company and the portfolio, each asked `requests` times
 * after a warm-up. Prints the in-process time per request; summarise the profile written by
 * `--cpu-prof` with bench/cpu-profile.ts.
 */
import fs from "node:fs";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import type { FirmGenerated } from "./firm-data.js";

const file = process.argv[2];
if (!file) throw new Error("usage: request-profile.ts <firm data set .db> [requests]");
const requests = Number(process.argv[3] ?? "2000");
const g = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as FirmGenerated;
const deps = createDeps(configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data` }));
const app = createApp(deps);
const login = await app.request("/api/v1/auth/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: g.accountant.email, password: g.accountant.password }),
});
const { token } = (await login.json()) as { token: string };
const followed = g.companies.filter((c) => c.followed).sort((a, b) => a.invoices - b.invoices);
const target = followed[Math.floor(followed.length / 2)]!;
const headers = { authorization: `Bearer ${token}` };
const urls: Record<string, string> = {
  journal: `/api/v1/companies/${target.id}/sales-journal?limit=1000`,
  changes: `/api/v1/companies/${target.id}/changes?since=0&limit=1000`,
  portfolio: "/api/v1/companies?limit=1000",
  me: "/api/v1/me",
};
for (const [name, url] of Object.entries(urls)) {
  for (let i = 0; i < 50; i++) await (await app.request(url, { headers })).arrayBuffer();
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const res = await app.request(url, { headers });
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    await res.arrayBuffer();
  }
  console.log(`${name}: ${((performance.now() - started) / requests).toFixed(3)} ms per request`);
}
