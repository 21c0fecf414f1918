// Queries compiled once. Kysely builds and compiles a query's tree on every call, which was a visible share of
// a notebook read (`npm run bench -- http`); a prepared query keeps the compiled SQL (one text per query, so
// SQLite's statement cache reuses the prepared statement too) and only binds each call's arguments.
import type { Compilable, CompiledQuery, Kysely, Transaction } from "kysely";
import type { StoreSchema } from "./schema.js";

/** What a query is compiled with in place of argument i; no id or name the API accepts contains NUL. */
const placeholder = (i: number) => `\u0000argument ${i}`;

export class PreparedQuery<Row> {
  readonly #compiled: CompiledQuery<Row>;
  /** For each bound parameter: the index of the argument it takes, or null for a constant of the query. */
  readonly #slots: (number | null)[];

  /** `build` gets one placeholder per argument and answers the query using them as values. */
  constructor(arity: number, build: (...args: string[]) => Compilable<Row>) {
    const placeholders = Array.from({ length: arity }, (_, i) => placeholder(i));
    this.#compiled = build(...placeholders).compile();
    this.#slots = this.#compiled.parameters.map((value) => {
      const index = placeholders.indexOf(value as string);
      return index >= 0 ? index : null;
    });
    for (let i = 0; i < arity; i++) {
      if (!this.#slots.includes(i)) throw new Error(`argument ${i} is not used by ${this.#compiled.sql}`);
    }
  }

  /** Runs the query with `args` (in the order of the placeholders), on the database or in a transaction. */
  async execute(db: Kysely<StoreSchema> | Transaction<StoreSchema>, ...args: string[]): Promise<Row[]> {
    const parameters = this.#slots.map((slot, i) =>
      slot === null ? this.#compiled.parameters[i] : args[slot],
    );
    return (await db.executeQuery<Row>({ ...this.#compiled, parameters })).rows;
  }
}
