/**
 * Signing up as an owner does: ask for the account, read the confirmation link from the outbox the
 * server wrote it to, confirm it with the password. Used by every test, suite and benchmark that
 * needs a signed-in owner, in process or over HTTP.
 */
import fs from "node:fs";
import path from "node:path";
import { parseMail, type ParsedMail } from "./mime.js";

export interface SignupFields {
  email: string;
  password: string;
  name: string;
}

/** POSTs a JSON body under /api/v1 and answers the status and the parsed body. */
export type PostJson = (path: string, body: unknown) => Promise<{ status: number; json: any }>;

/** The newest message in `<dataDir>/outbox` sent to `email`, if any. */
export function lastMailTo(dataDir: string, email: string): ParsedMail | undefined {
  const dir = path.join(dataDir, "outbox");
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().reverse();
  const to = new RegExp(`^To: ${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\r?$`, "im");
  for (const file of files) {
    const raw = fs.readFileSync(path.join(dir, file), "utf8");
    if (to.test(raw)) return parseMail(raw);
  }
  return undefined;
}

/** The token of the sign-up link in the text part of a message. */
export function signupLinkToken(mail: ParsedMail): string {
  const match = /\/signup\/([A-Za-z0-9_-]{43})(?=\s|$)/m.exec(mail.text);
  if (!match) throw new Error(`no sign-up link in:\n${mail.text}`);
  return match[1]!;
}

/** Signs up, confirms from the e-mail and answers the session (`{ token, expiresAt, user }`). */
export async function signUpThroughMail(post: PostJson, dataDir: string, fields: SignupFields) {
  const asked = await post("/auth/signup", fields);
  if (asked.status !== 202) throw new Error(`signup: ${asked.status} ${JSON.stringify(asked.json)}`);
  const mail = lastMailTo(dataDir, fields.email);
  if (!mail) throw new Error(`no e-mail to ${fields.email} in ${dataDir}/outbox`);
  const confirmed = await post("/auth/signup/confirm", { token: signupLinkToken(mail), password: fields.password });
  if (confirmed.status !== 200) throw new Error(`signup confirmation: ${confirmed.status} ${JSON.stringify(confirmed.json)}`);
  return confirmed.json as { token: string; expiresAt: string; user: { id: string; email: string; name: string } };
}
