/** The company's subject and message for each e-mail it sends about a document; the French default until the owner saves one. */
import { DEFAULT_MAIL_TEMPLATES, MailTemplateKind, type MailTemplate, type MailTemplateInput } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";

export function mailTemplate(db: Db, companyId: string, kind: MailTemplateKind): MailTemplate {
  const row = db.prepare("SELECT subject, body FROM mail_templates WHERE company_id = ? AND kind = ?").get(companyId, kind) as { subject: string; body: string } | undefined;
  return row ? { kind, subject: row.subject, body: row.body, custom: true } : { kind, ...DEFAULT_MAIL_TEMPLATES.fr[kind], custom: false };
}

export function mailTemplates(db: Db, companyId: string): MailTemplate[] {
  return MailTemplateKind.options.map((kind) => mailTemplate(db, companyId, kind));
}

export function saveMailTemplate(ctx: UseCaseContext, companyId: string, kind: MailTemplateKind, input: MailTemplateInput): MailTemplate {
  return inTransaction(ctx.db, () => {
    ctx.db
      .prepare(
        `INSERT INTO mail_templates (company_id, kind, subject, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (company_id, kind) DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(companyId, kind, input.subject, input.body, ctx.clock.now().toISOString(), ctx.actorId);
    return mailTemplate(ctx.db, companyId, kind);
  });
}
