// Timings that must fit together across the deployment: the server's kernel lease, the load balancer's
// health checks and deregistration, and the container's stop timeout. Kept in one place so a change to
// one is checked against the others (infra/test/stack.test.ts).

/** KERNEL_LEASE_TTL_MS of every task: a dead task's notebooks move to another within this (plus a start). */
export const KERNEL_LEASE_TTL_MS = 6_000;

/** The longest an API request may take: a run with ?wait=60 (API.md: S ≤ 60). */
export const LONGEST_REQUEST_SECONDS = 60;

/**
 * /health checks: a dead task leaves the balancer's rotation after interval × unhealthyThreshold (10 s),
 * close to when its leases expire, so few requests reach it after its notebooks have moved on.
 */
export const HEALTH_CHECK = { intervalSeconds: 5, timeoutSeconds: 3, unhealthyThreshold: 2 } as const;

/** Seconds ECS waits after SIGTERM before SIGKILL: more than the server's own 10 s graceful-close limit. */
export const STOP_TIMEOUT_SECONDS = 30;
