/**
 * Clients that hang up mid-request are counted, not logged one by one: a real server sees 200
 * uploads cut off half-way and logs the first in one line, then one summary line (written at the end
 * of the minute, or here at shutdown) — instead of 200 stack traces.
 */
import fs from "node:fs";
import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { seedCompany, sleep, startServer, stopServer, tempDir } from "./support.js";

const ABORTED = 200;

/** Sends the headers and the start of a 1 MB upload, then closes the connection. */
function abortedUpload(url: string, token: string, companyId: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST /api/v1/companies/${companyId}/documents HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
          `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1048576\r\n\r\n` +
          `--b\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 ${"x".repeat(4096)}`,
      );
      setTimeout(() => socket.destroy(), 1000); // long enough for a busy server to be reading the body
    });
    socket.on("close", () => resolve());
    socket.on("error", () => resolve());
  });
}

describe("aborted connections", () => {
  const dataDir = tempDir("aborted");
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(`${ABORTED} uploads cut off half-way make two log lines, not ${ABORTED} stack traces`, { timeout: 120_000 }, async () => {
    // every upload reaches its body: the upload limits (rate, bodies at once) would refuse some before it
    const server = await startServer(dataDir, { UPLOADS_PER_HOUR: String(10 * ABORTED), UPLOADS_AT_ONCE: String(ABORTED), UPLOAD_QUEUE: String(ABORTED) });
    const o = await seedCompany(server.url, dataDir, "Abort", 0);
    const since = server.output().length;
    for (let i = 0; i < ABORTED; i += 20) {
      await Promise.all(Array.from({ length: 20 }, () => abortedUpload(server.url, o.token, o.companyId)));
    }
    await sleep(300);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await stopServer(server);
    const lines = server.output().slice(since).split("\n").filter(Boolean);
    expect(lines).toEqual([
      `client connection aborted during POST /api/v1/companies/${o.companyId}/documents (further aborts are summed up once a minute)`,
      `${ABORTED - 1} more client connections aborted in the last minute`,
    ]);
  });
});
