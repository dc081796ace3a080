/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, each
 * with its share of the samples, its file (the package for dependencies) and line. Used to find
 * where a request's CPU goes; `npx tsx bench/cpu-profile.ts <file.cpuprofile> [--top 15]`.
 */
import fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Where a frame's code lives: the package for dependencies, else the path from the repository's `api/` or `shared/`. */
function placeOf(url: string, line: number): string {
  if (!url) return "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/((?:api|shared)\/.+)$/.exec(url.replace(/^file:\/\//, ""));
  return `${own ? own[1] : url.replace(/^.*\//, "")}:${line + 1}`;
}

export function topSelfTime(file: string, top = 15): { entries: ProfileEntry[]; totalMs: number } {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totals = new Map<string, ProfileEntry>();
  let totalUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    totalUs += us;
    const name = node.callFrame.functionName || "(anonymous)";
    if (name === "(idle)") continue;
    const where = placeOf(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${name}@${where}`;
    const entry = totals.get(key) ?? { name, where, selfMs: 0, share: 0 };
    entry.selfMs += us / 1000;
    totals.set(key, entry);
  }
  const busyMs = [...totals.values()].reduce((a, e) => a + e.selfMs, 0);
  const entries = [...totals.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top);
  for (const e of entries) e.share = e.selfMs / busyMs;
  return { entries, totalMs: busyMs };
}

export function profileTable(file: string, top = 15): string {
  const { entries, totalMs } = topSelfTime(file, top);
  return [
    `| self time | share of busy samples | function | where |`,
    `|---|---|---|---|`,
    ...entries.map((e) => `| ${e.selfMs.toFixed(0)} ms | ${(e.share * 100).toFixed(1)} % | \`${e.name}\` | ${e.where} |`),
    "",
    `busy (not idle) samples: ${totalMs.toFixed(0)} ms`,
  ].join("\n");
}

if (process.argv[1] && /cpu-profile\.ts$/.test(process.argv[1])) {
  const file = process.argv[2];
  if (!file) throw new Error("usage: cpu-profile.ts <file.cpuprofile> [--top N]");
  const i = process.argv.indexOf("--top");
  console.log(profileTable(file, i > 0 ? Number(process.argv[i + 1]) : 15));
}
