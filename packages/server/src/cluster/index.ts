// The cluster folder's only door: kernel leases (which instance runs which notebook) and commands forwarded
// between instances. Alone (no REDIS_URL), this instance holds every lease and forwards nothing.
export {
  CommandBus,
  type CommandBusOptions,
  type CommandReply,
  type ForwardedCommand,
  OwnerUnreachableError,
} from "./commands.js";
export {
  type Acquired,
  type KernelLeases,
  type Lease,
  type LeaseHolder,
  LocalLeases,
  RedisLeases,
  type RedisLeasesOptions,
} from "./leases.js";
