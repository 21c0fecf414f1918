/**
 * Checks values against the contract's schemas without code generation (no `eval`, so it runs
 * under a strict Content-Security-Policy in the browser), naming every offending field by its
 * JSON pointer, and parses WebSocket client frames for the server.
 */
import { FormatRegistry, Kind, type Static, type TSchema } from "@sinclair/typebox";
import { Value, ValueErrorType } from "@sinclair/typebox/value";
import type { ErrorObject } from "./errors.js";
import { type ClientFrame, ClientFrame as ClientFrameSchema } from "./frames.js";
import { schemas, schemasById } from "./schemas.js";

/** One violation: `path` is the JSON pointer of the field ("" for the value itself), e.g. "/cells/0/type". */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/** Teaches TypeBox the formats our schemas use (Ajv knows them through ajv-formats on the server). */
function registerFormats(): void {
  if (!FormatRegistry.Has("date-time")) {
    FormatRegistry.Set("date-time", (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
  }
}

/** Every schema, so a `$ref` inside any of them resolves (TypeBox wants a mutable array; it does not mutate it). */
const references = schemas as TSchema[];

/** The schema a `$ref` points at, or the schema itself. */
function deref(schema: TSchema): TSchema {
  return schema[Kind] === "Ref" && typeof schema.$ref === "string"
    ? (schemasById[schema.$ref] ?? schema)
    : schema;
}

/** The variants of a union discriminated on a literal `type` property, keyed by that literal; else undefined. */
function discriminatedVariants(schema: TSchema): Map<string, TSchema> | undefined {
  const variants: unknown = schema.anyOf;
  if (!Array.isArray(variants) || variants.length === 0) return undefined;
  const byType = new Map<string, TSchema>();
  for (const variant of (variants as TSchema[]).map(deref)) {
    const literal: unknown = variant.properties?.type?.const;
    if (variant.type !== "object" || typeof literal !== "string") return undefined;
    byType.set(literal, variant);
  }
  return byType;
}

function describeUnion(schema: TSchema): string {
  const variants: TSchema[] = Array.isArray(schema.anyOf) ? schema.anyOf.map(deref) : [];
  const names = variants.map((variant) =>
    variant.const !== undefined ? JSON.stringify(variant.const) : String(variant.type ?? "value"),
  );
  return names.length > 0 ? `Expected ${names.join(" or ")}` : "Expected union value";
}

function collectIssues(schema: TSchema, value: unknown): ValidationIssue[] {
  const variants = discriminatedVariants(deref(schema));
  if (variants) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return [{ path: "", message: "Expected object" }];
    }
    const type: unknown = (value as { type?: unknown }).type;
    if (type === undefined) return [{ path: "/type", message: "Expected required property" }];
    const variant = typeof type === "string" ? variants.get(type) : undefined;
    if (!variant) {
      const known = [...variants.keys()].map((key) => JSON.stringify(key)).join(", ");
      return [{ path: "/type", message: `Expected one of ${known}` }];
    }
    return collectIssues(variant, value);
  }
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, references, value)) {
    if (seen.has(error.path)) continue; // the first complaint about a field is the telling one
    seen.add(error.path);
    const message =
      error.type === ValueErrorType.Union
        ? describeUnion(error.schema)
        : error.type === ValueErrorType.ObjectAdditionalProperties
          ? "Unexpected property"
          : error.message;
    issues.push({ path: error.path, message });
  }
  return issues;
}

/** Checks `value` against `schema`; on success hands the value back typed. */
export function validate<T extends TSchema>(schema: T, value: unknown): ValidationResult<Static<T>> {
  registerFormats();
  if (Value.Check(schema, references, value)) return { ok: true, value };
  const errors = collectIssues(schema, value);
  // Value.Check and Value.Errors agree; the fallback only guards against a future disagreement.
  return { ok: false, errors: errors.length > 0 ? errors : [{ path: "", message: "Invalid value" }] };
}

/** True when `value` matches `schema`. */
export function isValid<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  registerFormats();
  return Value.Check(schema, references, value);
}

/** The `invalid_request` error for these violations: the message and `details.field` name the first one. */
export function invalidRequest(
  errors: readonly ValidationIssue[],
  what = "Request",
): ErrorObject & { code: "invalid_request" } {
  const first = errors[0];
  if (!first) return { code: "invalid_request", message: `Invalid ${what.toLowerCase()}.` };
  const where = first.path === "" ? "" : ` at ${first.path}`;
  return {
    code: "invalid_request",
    message: `Invalid ${what.toLowerCase()}${where}: ${first.message}.`,
    details: { field: first.path, errors: errors.map((error) => ({ ...error })) },
  };
}

export type ParsedClientFrame =
  | { ok: true; frame: ClientFrame }
  | { ok: false; error: ErrorObject & { code: "invalid_request" } };

/**
 * Parses one WebSocket text frame from a client. A bad frame yields the `invalid_request`
 * error to send back as `{ type: "error", ...error }`; the connection stays open.
 */
export function parseClientFrame(text: string): ParsedClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, error: { code: "invalid_request", message: `Invalid frame: not JSON (${reason}).` } };
  }
  const result = validate(ClientFrameSchema, value);
  if (result.ok) return { ok: true, frame: result.value };
  return { ok: false, error: invalidRequest(result.errors, "Frame") };
}
