/**
 * Every rule the API can state, read from its source: the messages given to invalid(), conflict(),
 * forbidden(), unauthorized(), new ProblemError() and a logo's refusal, and every `message:` of a
 * schema or a check.
 * A template literal's `${…}` parts are written `{}`.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CALLS: Record<string, number[]> = { invalid: [1], conflict: [0], forbidden: [0], unauthorized: [0], refuse: [0], refused: [0], unavailable: [0], notText: [1], feedUnauthorized: [0] };
/** The integrity check's findings and a backup's check are reports (a 200, the command line), not problems. */
const REPORTS = new Set(["api/src/services/integrity.ts", "api/src/backups/check.ts"]);

export interface RuleLiteral {
  text: string;
  where: string;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `{}${s.literal.text}`).join("");
  return undefined;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

export function ruleLiterals(): RuleLiteral[] {
  const found: RuleLiteral[] = [];
  for (const file of [...filesUnder(path.join(ROOT, "api/src")), ...filesUnder(path.join(ROOT, "shared/src"))]) {
    if (REPORTS.has(path.relative(ROOT, file)) || file.endsWith("problem-i18n.ts")) continue;
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const add = (node: ts.Node | undefined): void => {
      if (!node) return;
      // a conditional message is two rules
      if (ts.isConditionalExpression(node)) return add(node.whenTrue), add(node.whenFalse);
      if (ts.isParenthesizedExpression(node)) return add(node.expression);
      const text = literalText(node);
      if (text !== undefined && /[a-z]/.test(text)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push({ text, where: `${path.relative(ROOT, file)}:${line + 1}` });
      }
    };
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && CALLS[node.expression.text]) {
        for (const i of CALLS[node.expression.text]!) add(node.arguments[i]);
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "ProblemError") {
        add(node.arguments?.[1]);
        add(node.arguments?.[2]);
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "message") add(node.initializer);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
