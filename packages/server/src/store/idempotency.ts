// Idempotency keys in the notebook database (both drivers): the first request with a key claims it, its
// answer is stored with it, and a retry within the key's lifetime gets that answer back. Claiming is one
// INSERT on the (user, key) primary key, so two concurrent first uses cannot both run.
import type { Kysely } from "kysely";
import { nextTimestamp } from "./clock.js";
import type { StoreSchema } from "./schema.js";
import type { IdempotencyClaim, IdempotencyKeys } from "./types.js";

/** How often (at most) expired keys are swept, in claims. */
const SWEEP_EVERY = 500;
/**
 * A first use still unanswered after this long was abandoned (its process died mid-request): the key may be
 * claimed again. Longer than any request may take (a run waits at most 60 s).
 */
export const ABANDONED_CLAIM_MS = 120_000;

export class StoredIdempotencyKeys implements IdempotencyKeys {
  #claims = 0;

  constructor(private readonly db: Kysely<StoreSchema>) {}

  async claim(userId: string, key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim> {
    const now = nextTimestamp();
    if (this.#claims++ % SWEEP_EVERY === 0) {
      await this.db.deleteFrom("idempotency_keys").where("expires_at", "<", now).execute();
    }
    const inserted = await this.db
      .insertInto("idempotency_keys")
      .values({
        user_id: userId,
        key,
        fingerprint,
        status_code: null,
        response_body: null,
        created_at: now,
        expires_at: new Date(Date.parse(now) + ttlMs).toISOString(),
      })
      .onConflict((oc) => oc.columns(["user_id", "key"]).doNothing())
      .returning("key")
      .executeTakeFirst();
    if (inserted) return { state: "claimed" };
    const row = await this.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("user_id", "=", userId)
      .where("key", "=", key)
      .executeTakeFirst();
    if (!row) return this.claim(userId, key, fingerprint, ttlMs); // released meanwhile
    if (row.expires_at < now) {
      await this.db
        .deleteFrom("idempotency_keys")
        .where("user_id", "=", userId)
        .where("key", "=", key)
        .where("expires_at", "=", row.expires_at)
        .execute();
      return this.claim(userId, key, fingerprint, ttlMs);
    }
    if (row.fingerprint !== fingerprint) return { state: "mismatch" };
    if (row.status_code === null) {
      if (Date.parse(now) - Date.parse(row.created_at) < ABANDONED_CLAIM_MS) return { state: "in_progress" };
      const taken = await this.db
        .updateTable("idempotency_keys")
        .set({ created_at: now })
        .where("user_id", "=", userId)
        .where("key", "=", key)
        .where("created_at", "=", row.created_at)
        .where("status_code", "is", null)
        .returning("key")
        .executeTakeFirst();
      return taken ? { state: "claimed" } : { state: "in_progress" };
    }
    return { state: "answered", statusCode: Number(row.status_code), body: row.response_body ?? "" };
  }

  async answer(userId: string, key: string, statusCode: number, body: string): Promise<void> {
    await this.db
      .updateTable("idempotency_keys")
      .set({ status_code: statusCode, response_body: body })
      .where("user_id", "=", userId)
      .where("key", "=", key)
      .execute();
  }

  async release(userId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom("idempotency_keys")
      .where("user_id", "=", userId)
      .where("key", "=", key)
      .where("status_code", "is", null)
      .execute();
  }
}
