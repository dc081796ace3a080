/**
 * Reading the API's own OpenAPI description: which routes write, what their bodies look like, and
 * a plausible example body for each — so the bad-input suite covers routes added after it was written.
 */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  description?: string;
  default?: unknown;
}

export interface WriteRoute {
  method: "post" | "put" | "patch" | "delete";
  template: string; // as in /openapi.json, e.g. /api/v1/companies/{companyId}/invoices
  pathParams: string[];
  body: { contentType: string; schema: Schema; required: boolean } | null;
  key: string; // "POST /api/v1/companies/{companyId}/invoices"
}

export function writeRoutes(doc: any): WriteRoute[] {
  const routes: WriteRoute[] = [];
  for (const [template, ops] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of ["post", "put", "patch", "delete"] as const) {
      const op = ops[method];
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const contentType = Object.keys(content)[0];
      routes.push({
        method,
        template,
        pathParams: (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name as string),
        body: contentType ? { contentType, schema: resolve(doc, content[contentType].schema), required: op.requestBody.required !== false } : null,
        key: `${method.toUpperCase()} ${template}`,
      });
    }
  }
  return routes;
}

/** Inlines `$ref`s (the document's own components only). */
export function resolve(doc: any, schema: Schema, depth = 0): Schema {
  if (depth > 20) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, "");
    return resolve(doc, doc.components?.schemas?.[name] ?? {}, depth + 1);
  }
  const out: Schema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]));
  if (schema.items) out.items = resolve(doc, schema.items, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) if (schema[key]) out[key] = schema[key]!.map((s) => resolve(doc, s, depth + 1));
  if (schema.allOf) {
    // merge allOf into one object schema
    for (const part of out.allOf!) {
      out.properties = { ...out.properties, ...part.properties };
      out.required = [...(out.required ?? []), ...(part.required ?? [])];
      if (part.additionalProperties === false) out.additionalProperties = false;
      if (part.type) out.type = part.type;
    }
    delete out.allOf;
  }
  return out;
}

/** The JSON types a schema admits ("integer" counts as "number"). */
export function admittedTypes(schema: Schema): Set<string> {
  const types = new Set<string>();
  const add = (t: string) => types.add(t === "integer" ? "number" : t);
  if (schema.anyOf || schema.oneOf) for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) for (const t of admittedTypes(s)) types.add(t);
  if (schema.type) (Array.isArray(schema.type) ? schema.type : [schema.type]).forEach(add);
  if (schema.enum) for (const v of schema.enum) add(v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (schema.properties && !schema.type) types.add("object");
  if (schema.nullable) types.add("null");
  if (types.size === 0) for (const t of ["string", "number", "boolean", "object", "array", "null"]) types.add(t);
  return types;
}

export type Path = (string | number)[];

export interface Slot {
  path: Path;
  name: string;
  schema: Schema;
  required: boolean;
}

/** Every property reachable in a body (arrays through their first item), with its schema. */
export function slots(schema: Schema, path: Path = []): Slot[] {
  const out: Slot[] = [];
  const object = objectSchema(schema);
  if (object?.properties) {
    for (const [name, child] of Object.entries(object.properties)) {
      const childPath = [...path, name];
      out.push({ path: childPath, name, schema: child, required: (object.required ?? []).includes(name) });
      out.push(...slots(child, childPath));
    }
  }
  const array = schema.items ? schema : (schema.anyOf ?? schema.oneOf)?.find((s) => s.items);
  if (array?.items) out.push(...slots(array.items, [...path, 0]));
  return out;
}

/** The object member of a schema (itself, or an object alternative of a union). */
export function objectSchema(schema: Schema): Schema | undefined {
  if (schema.properties) return schema;
  return (schema.anyOf ?? schema.oneOf)?.find((s) => s.properties);
}

/** Paths (in a body) of every object that refuses unknown fields. */
export function closedObjects(schema: Schema, path: Path = []): Path[] {
  const out: Path[] = [];
  const object = objectSchema(schema);
  if (object?.properties) {
    if (object.additionalProperties === false) out.push(path);
    for (const [name, child] of Object.entries(object.properties)) out.push(...closedObjects(child, [...path, name]));
  }
  const array = schema.items ? schema : (schema.anyOf ?? schema.oneOf)?.find((s) => s.items);
  if (array?.items) out.push(...closedObjects(array.items, [...path, 0]));
  return out;
}

export function getAt(value: any, path: Path): any {
  return path.reduce((v, k) => (v == null ? undefined : v[k]), value);
}

/** A copy of `value` with `path` set (intermediate objects/arrays created as needed). */
export function setAt(value: any, path: Path, next: unknown): any {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : value && typeof value === "object" ? { ...value } : typeof head === "number" ? [] : {};
  copy[head!] = setAt(copy[head!], rest, next);
  return copy;
}

export function deleteAt(value: any, path: Path): any {
  if (path.length === 1) {
    if (Array.isArray(value)) return value.filter((_, i) => i !== path[0]);
    const { [path[0]!]: _removed, ...rest } = value ?? {};
    return rest;
  }
  const [head, ...rest] = path;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  copy[head!] = deleteAt(copy[head!], rest);
  return copy;
}

export const DATE_NAME = /^(date|from|to|until|since)$|[a-z](Date|From|To|Until|Since)$/;

export function isDateSlot(slot: { name: string; schema: Schema }): boolean {
  const s = slot.schema;
  return s.format === "date" || /YYYY-MM-DD/.test(s.description ?? "") || (admittedTypes(s).has("string") && DATE_NAME.test(slot.name) && !s.enum);
}

/** A plausible value for a field, from its name and schema; `ids` supplies existing records by field name. */
export function exampleFor(schema: Schema, name: string, ids: Record<string, string>): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const object = objectSchema(schema);
  const types = admittedTypes(schema);
  if (name in ids) return ids[name];
  if (types.has("string")) {
    if (schema.format === "binary") return new Uint8Array();
    if (/email/i.test(name)) return `fuzz-${Math.random().toString(36).slice(2)}@example.fr`;
    if (/password/i.test(name)) return "correct horse battery";
    if (/^siren$/i.test(name)) return "853904811";
    if (/vatNumber/i.test(name)) return "FR26853904811";
    if (/url/i.test(name) || schema.format === "uri") return "https://example.fr/document";
    if (/^quantity$/.test(name)) return "1";
    if (isDateSlot({ name, schema })) return "2026-11-10";
    if (/^fiscalYearStart$/.test(name)) return "01-01";
    if (/Id$/.test(name)) return ids[name] ?? "unknown-id";
    const text = "Texte d'exemple";
    return text.slice(0, Math.max(schema.maxLength ?? text.length, schema.minLength ?? 1));
  }
  if (object?.properties) {
    const out: Record<string, unknown> = {};
    for (const key of object.required ?? []) out[key] = exampleFor(object.properties[key] ?? {}, key, ids);
    return out;
  }
  if (types.has("array") && schema.items) {
    return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleFor(schema.items!, name.replace(/s$/, ""), ids));
  }
  if (types.has("number")) {
    if (/Bp$/.test(name)) return 2000;
    if (/Cents$/.test(name)) return Math.max(100, schema.minimum ?? 0);
    return Math.max(schema.minimum ?? 1, 1);
  }
  if (types.has("boolean")) return false;
  return null;
}
