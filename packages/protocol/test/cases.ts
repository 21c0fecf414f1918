/** Runs a table of validation cases: each value either passes or is refused with its offending field named. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TSchema } from "@sinclair/typebox";
import { validate } from "../src/index.js";

export interface Case {
  /** What the case says, read as a specification. */
  name: string;
  schema: TSchema;
  value: unknown;
  /** The JSON pointer that must be named among the errors; absent when the value is valid. */
  rejectsAt?: string;
}

export function runCases(cases: readonly Case[]): void {
  for (const { name, schema, value, rejectsAt } of cases) {
    test(name, () => {
      const result = validate(schema, value);
      if (rejectsAt === undefined) {
        assert.deepEqual(result, { ok: true, value }, `expected ${schema.$id} to accept it`);
        return;
      }
      assert.equal(result.ok, false, `expected ${schema.$id} to refuse it`);
      if (result.ok) return;
      const paths = result.errors.map((error) => error.path);
      assert.ok(
        paths.includes(rejectsAt),
        `expected an error at "${rejectsAt}", got ${JSON.stringify(result.errors)}`,
      );
      for (const error of result.errors) assert.ok(error.message.length > 0);
    });
  }
}

/** A deep copy of `value` with `change` applied, so one sample yields many broken variants. */
export function broken<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}
