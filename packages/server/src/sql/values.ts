// Values crossing between Python, PostgreSQL and JSON. Python values arrive encoded by the kernel's
// `get_values` (numbers, strings, booleans, None, {"$date"}, {"$datetime"}, lists, {"$unsupported"},
// {"$error"} for a dotted placeholder whose attribute could not be read) and
// become bind parameters; result values come back JSON-safe (dates as ISO text) for the table output, and
// dates re-encoded as {"$date"}/{"$datetime"} for the Python variable.

/** A placeholder whose Python value cannot be a parameter; the message names the variable and its type. */
export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParameterError";
  }
}

const ACCEPTED = "int, float, str, bool, None, datetime.date, datetime.datetime or a list of those";

/** The bind parameter for one Python value (as `get_values` encodes it). */
export function toParameter(name: string, value: unknown): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "number" || typeof value === "string")
    return value;
  if (Array.isArray(value)) return value.map((item) => toParameter(name, item));
  if (typeof value === "object") {
    const encoded = value as Record<string, unknown>;
    if (typeof encoded.$date === "string") return encoded.$date;
    if (typeof encoded.$datetime === "string") return encoded.$datetime;
    if (typeof encoded.$error === "string") {
      throw new ParameterError(`{${name}} could not be read: ${encoded.$error.slice(0, 500)}`);
    }
    if (typeof encoded.$unsupported === "string") {
      throw new ParameterError(
        `{${name}} is a ${encoded.$unsupported}, which cannot be an SQL parameter (use ${ACCEPTED}).`,
      );
    }
  }
  throw new ParameterError(`{${name}} has a value that cannot be an SQL parameter (use ${ACCEPTED}).`);
}

/** PostgreSQL type names of common type OIDs (pg_type.typname), for the table output's column types. */
const TYPE_NAMES: Record<number, string> = {
  16: "bool",
  17: "bytea",
  18: "char",
  19: "name",
  20: "int8",
  21: "int2",
  23: "int4",
  25: "text",
  26: "oid",
  114: "json",
  142: "xml",
  650: "cidr",
  700: "float4",
  701: "float8",
  790: "money",
  869: "inet",
  1000: "bool[]",
  1005: "int2[]",
  1007: "int4[]",
  1009: "text[]",
  1015: "varchar[]",
  1016: "int8[]",
  1021: "float4[]",
  1022: "float8[]",
  1042: "bpchar",
  1043: "varchar",
  1082: "date",
  1083: "time",
  1114: "timestamp",
  1182: "date[]",
  1184: "timestamptz",
  1186: "interval",
  1231: "numeric[]",
  1266: "timetz",
  1700: "numeric",
  2249: "record",
  2278: "void",
  2950: "uuid",
  3802: "jsonb",
  3807: "jsonb[]",
};

export function typeName(oid: number): string {
  return TYPE_NAMES[oid] ?? `oid ${oid}`;
}

/** OIDs whose text form we keep as text (dates and times, so no time zone shifts them). */
export const TEXT_TYPES = [1082, 1083, 1114, 1184, 1266, 1186];
/** int8 and numeric: a JSON number when exact, else the text. */
export const NUMERIC_TYPES = [20, 1700];

export function parseNumeric(text: string): number | string {
  const value = Number(text);
  if (!Number.isFinite(value)) return text;
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? value : text;
  const normalized = text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
  return String(value) === normalized ? value : text;
}

/** Any driver value as JSON: bigint → number or text, Date → ISO, bytes → \x hex, nested arrays/objects. */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint")
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString("hex")}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toJsonValue(item);
    return out;
  }
  return value;
}

/** A result value as the Python variable gets it: dates and timestamps become date/datetime objects. */
export function toPythonValue(value: unknown, type: string): unknown {
  if (typeof value !== "string") return value;
  if (type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { $date: value };
  if ((type === "timestamp" || type === "timestamptz") && /^\d{4}-\d{2}-\d{2}[ T]\d/.test(value)) {
    // PostgreSQL writes "+00" offsets; Python's fromisoformat wants "+00:00".
    return { $datetime: value.replace(" ", "T").replace(/([+-]\d{2})$/, "$1:00") };
  }
  return value;
}
