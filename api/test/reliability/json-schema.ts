/**
 * Checks a JSON value against a schema of the OpenAPI document (3.0 schema objects, `$ref`s into its
 * components): the keywords zod-to-openapi writes. Returns what does not match, by JSON path.
 */
import type { Schema } from "./openapi-walk.js";

type Doc = { components?: { schemas?: Record<string, Schema> } };

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function realDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().startsWith(v);
}

export function schemaErrors(doc: Doc, schema: Schema, value: unknown, at = "$", depth = 0): string[] {
  if (depth > 64) return [`${at}: schema nested too deep`];
  if (schema.$ref) return schemaErrors(doc, doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")] ?? { not: {} } as Schema, value, at, depth + 1);
  if (value === null && schema.nullable) return [];
  const errors: string[] = [];
  if (schema.allOf) for (const s of schema.allOf) errors.push(...schemaErrors(doc, s, value, at, depth + 1));
  if (schema.anyOf && !schema.anyOf.some((s) => schemaErrors(doc, s, value, at, depth + 1).length === 0)) errors.push(`${at}: matches none of anyOf`);
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s) => schemaErrors(doc, s, value, at, depth + 1).length === 0).length;
    if (matching !== 1) errors.push(`${at}: matches ${matching} of oneOf`);
  }
  if ((schema as { not?: unknown }).not !== undefined) errors.push(`${at}: unresolved schema`);
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  const type = typeOf(value);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.some((t) => t === type || (t === "integer" && type === "number" && Number.isInteger(value)) || (t === "null" && value === null));
    if (!ok) return [...errors, `${at}: ${type} where ${types.join("|")}${schema.nullable ? "|null" : ""} is expected`];
  }
  if (type === "string") {
    const s = value as string;
    const length = [...s].length;
    if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(s)) errors.push(`${at}: ${JSON.stringify(s)} does not match ${schema.pattern}`);
    if (schema.format === "date" && !realDate(s)) errors.push(`${at}: ${JSON.stringify(s)} is not a date`);
    if (schema.format === "date-time" && Number.isNaN(Date.parse(s))) errors.push(`${at}: ${JSON.stringify(s)} is not a date-time`);
  }
  if (type === "number") {
    const n = value as number;
    const exMin = schema.exclusiveMinimum;
    const exMax = schema.exclusiveMaximum;
    if (schema.minimum !== undefined && (exMin === true ? n <= schema.minimum : n < schema.minimum)) errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && (exMax === true ? n >= schema.maximum : n > schema.maximum)) errors.push(`${at}: above ${schema.maximum}`);
    if (typeof exMin === "number" && n <= exMin) errors.push(`${at}: not above ${exMin}`);
    if (typeof exMax === "number" && n >= exMax) errors.push(`${at}: not below ${exMax}`);
  }
  if (type === "array") {
    const items = value as unknown[];
    if (schema.minItems !== undefined && items.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && items.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) items.forEach((item, i) => errors.push(...schemaErrors(doc, schema.items!, item, `${at}[${i}]`, depth + 1)));
  }
  if (type === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${at}.${name}: missing`);
    for (const [name, v] of Object.entries(object)) {
      const property = schema.properties?.[name];
      if (property) errors.push(...schemaErrors(doc, property, v, `${at}.${name}`, depth + 1));
      else if (schema.additionalProperties === false) errors.push(`${at}.${name}: not in the schema`);
      else if (typeof schema.additionalProperties === "object") errors.push(...schemaErrors(doc, schema.additionalProperties, v, `${at}.${name}`, depth + 1));
    }
  }
  return errors;
}
