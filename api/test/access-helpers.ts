/** Helpers for access tests: the outbox, invitations and accountants, driven through the API like a client. */
import fs from "node:fs";
import path from "node:path";
import { parseMail, type ParsedMail } from "./mime.js";
import type { TestApp } from "./helpers.js";

export const ACCOUNTANT_PASSWORD = "expert-comptable 2026";

export function outbox(dataDir: string): (ParsedMail & { file: string })[] {
  const dir = path.join(dataDir, "outbox");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".eml"))
    .sort()
    .map((f) => ({ file: f, ...parseMail(fs.readFileSync(path.join(dir, f), "utf8")) }));
}

export function latestMail(dataDir: string): ParsedMail {
  const dir = path.join(dataDir, "outbox");
  const last = fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort().at(-1);
  if (!last) throw new Error("the outbox is empty");
  return parseMail(fs.readFileSync(path.join(dir, last), "utf8"));
}

/** The token of the invitation link in the text part of a message. */
export function linkToken(mail: ParsedMail): string {
  const match = /\/invite\/([A-Za-z0-9_-]{43})(?=\s|$)/m.exec(mail.text);
  if (!match) throw new Error(`no invitation link in:\n${mail.text}`);
  return match[1]!;
}

/** The owner invites `email`; returns the invitation and the token read from the outbox. */
export async function invite(t: TestApp, owner: { token: string; companyId: string }, email: string) {
  const res = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email } });
  if (res.status !== 201) throw new Error(`invitation failed: ${res.text}`);
  const mail = latestMail(t.dataDir);
  if (!mail.to.includes(email)) throw new Error(`the last message went to ${mail.to}, not ${email}`);
  return { invitation: res.json, token: linkToken(mail) };
}

let counter = 0;

/** A fresh accountant who accepted an invitation of `owner`'s company through the API. */
export async function invitedAccountant(t: TestApp, owner: { token: string; companyId: string }, name = "Expert Comptable") {
  const email = `accountant${++counter}-${Date.now()}@cabinet.fr`;
  const { token } = await invite(t, owner, email);
  const res = await t.call("POST", "/invitations/accept", { body: { token, name, password: ACCOUNTANT_PASSWORD } });
  if (res.status !== 200) throw new Error(`accept failed: ${res.text}`);
  return { token: res.json.token as string, user: res.json.user as { id: string; email: string; name: string }, email };
}
