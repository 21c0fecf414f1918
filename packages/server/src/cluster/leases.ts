// Kernel leases: which instance runs a notebook's kernel and scheduler. With Redis, a lease is one key
// (`SET NX PX`, renewed every third of its lifetime) holding the owner's instance id and a fencing token,
// a number that grows with every acquisition of that notebook; the store refuses results written under an
// older token, so an owner that was paused past its lease cannot overwrite its successor's work. Alone (no
// Redis), this instance holds every lease and nothing is stored.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** A lease this instance holds: its fencing token. */
export interface Lease {
  notebookId: string;
  token: number;
}

/** Who holds a notebook's lease, and for how much longer unless renewed. */
export interface LeaseHolder {
  instanceId: string;
  token: number;
  ttlMs: number;
}

export type Acquired = { held: Lease } | { holder: LeaseHolder };

export interface KernelLeases {
  readonly instanceId: string;
  /** Whether leases are shared with other instances (Redis) or all this instance's (alone). */
  readonly shared: boolean;
  /** The lease if this instance holds it (a local answer: no round trip). */
  held(notebookId: string): Lease | null;
  /** Takes the notebook's lease when nobody holds it; else says who does. */
  acquire(notebookId: string): Promise<Acquired>;
  /** Who holds the notebook's lease, or null. */
  holder(notebookId: string): Promise<LeaseHolder | null>;
  /** Gives one lease up (its notebook closed here). */
  release(notebookId: string): Promise<void>;
  /** Gives every lease up (graceful shutdown), so other instances take over at once. */
  releaseAll(): Promise<void>;
  /** Called when a lease could not be renewed in time: another instance may hold it now. */
  onLost(listener: (notebookId: string) => void): void;
  close(): Promise<void>;
}

/** One instance alone: it holds every lease, always with token 0. */
export class LocalLeases implements KernelLeases {
  readonly instanceId = randomUUID();
  readonly shared = false;

  held(notebookId: string): Lease {
    return { notebookId, token: 0 };
  }

  async acquire(notebookId: string): Promise<Acquired> {
    return { held: { notebookId, token: 0 } };
  }

  async holder(): Promise<LeaseHolder | null> {
    return { instanceId: this.instanceId, token: 0, ttlMs: Number.POSITIVE_INFINITY };
  }

  async release(): Promise<void> {}
  async releaseAll(): Promise<void> {}
  onLost(): void {}
  async close(): Promise<void> {}
}

// Acquire: when the key is free, the next token of the notebook's counter goes into it with the owner.
// Answers {1, token, 0} when taken, {0, value, ttl} when someone holds it.
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current, redis.call('PTTL', KEYS[1])} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return {1, tostring(token), 0}
`;
// Renew or release only the lease we hold (value = owner|token), never a successor's.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface RedisLeasesOptions {
  redis: Redis;
  keyPrefix: string;
  ttlMs: number;
  onError(error: unknown, what: string): void;
}

export class RedisLeases implements KernelLeases {
  readonly instanceId = randomUUID();
  readonly shared = true;
  readonly #held = new Map<string, { lease: Lease; renewedAt: number }>();
  readonly #lostListeners: ((notebookId: string) => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly options: RedisLeasesOptions) {
    this.#timer = setInterval(() => void this.#renewAll(), Math.max(100, Math.floor(options.ttlMs / 3)));
    this.#timer.unref();
  }

  held(notebookId: string): Lease | null {
    const entry = this.#held.get(notebookId);
    // A lease not renewed for a whole lifetime may already be someone else's: do not act on it.
    if (!entry || Date.now() - entry.renewedAt >= this.options.ttlMs) return null;
    return entry.lease;
  }

  async acquire(notebookId: string): Promise<Acquired> {
    const [taken, value, ttl] = (await this.options.redis.eval(
      ACQUIRE,
      2,
      this.#key(notebookId),
      this.#fenceKey(notebookId),
      this.instanceId,
      String(this.options.ttlMs),
    )) as [number, string, number];
    if (taken === 1) {
      const token = Number(value);
      const lease = { notebookId, token };
      this.#held.set(notebookId, { lease, renewedAt: Date.now() });
      return { held: lease };
    }
    const holder = parseHolder(value, ttl);
    if (holder.instanceId === this.instanceId) {
      this.#held.set(notebookId, { lease: { notebookId, token: holder.token }, renewedAt: Date.now() });
      return { held: { notebookId, token: holder.token } };
    }
    return { holder };
  }

  async holder(notebookId: string): Promise<LeaseHolder | null> {
    const redis = this.options.redis;
    const [value, ttl] = await Promise.all([
      redis.get(this.#key(notebookId)),
      redis.pttl(this.#key(notebookId)),
    ]);
    return value ? parseHolder(value, ttl) : null;
  }

  async release(notebookId: string): Promise<void> {
    const entry = this.#held.get(notebookId);
    if (!entry) return;
    this.#held.delete(notebookId);
    await this.options.redis.eval(RELEASE, 1, this.#key(notebookId), this.#value(entry.lease));
  }

  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.#held.keys()].map((notebookId) => this.release(notebookId)));
  }

  onLost(listener: (notebookId: string) => void): void {
    this.#lostListeners.push(listener);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.releaseAll();
  }

  async #renewAll(): Promise<void> {
    for (const [notebookId, entry] of [...this.#held]) {
      try {
        const renewed = await this.options.redis.eval(
          RENEW,
          1,
          this.#key(notebookId),
          this.#value(entry.lease),
          String(this.options.ttlMs),
        );
        if (renewed === 1) entry.renewedAt = Date.now();
        else this.#lose(notebookId, entry);
      } catch (error) {
        this.options.onError(error, "could not renew a kernel lease");
        if (Date.now() - entry.renewedAt >= this.options.ttlMs) this.#lose(notebookId, entry);
      }
    }
  }

  #lose(notebookId: string, entry: { lease: Lease }): void {
    if (this.#held.get(notebookId) !== entry) return;
    this.#held.delete(notebookId);
    for (const listener of this.#lostListeners) listener(notebookId);
  }

  #key(notebookId: string): string {
    return `${this.options.keyPrefix}lease:${notebookId}`;
  }

  #fenceKey(notebookId: string): string {
    return `${this.options.keyPrefix}fence:${notebookId}`;
  }

  #value(lease: Lease): string {
    return `${this.instanceId}|${lease.token}`;
  }
}

function parseHolder(value: string, ttl: number): LeaseHolder {
  const bar = value.lastIndexOf("|");
  return {
    instanceId: value.slice(0, bar),
    token: Number(value.slice(bar + 1)),
    ttlMs: Math.max(0, Number(ttl)),
  };
}
