// The SQL host policy (SQL_ALLOWED_HOSTS) and the one DNS resolution a connection gets: "any", a list of
// host names the operator trusts, or "public" — every address the name resolves to must be a public
// unicast address. The address returned is the one that was checked and the only one connected to, so a
// name that answers differently a moment later (DNS rebinding) cannot move the connection.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Config } from "../config/index.js";
import { nonPublicReason } from "./addresses.js";

export type HostPolicy = Config["sqlAllowedHosts"];

/** Answers every address of a host name (tests inject one that rebinds). */
export type ResolveHost = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: ResolveHost = (host) => lookup(host, { all: true, verbatim: true });

/** The host is refused by the policy or cannot be resolved; `message` is for the user. */
export class HostRefused extends Error {
  constructor(
    message: string,
    readonly host: string,
  ) {
    super(message);
    this.name = "HostRefused";
  }
}

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

function listed(host: string, policy: string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  return policy.some((allowed) => allowed.toLowerCase().replace(/\.$/, "") === name);
}

async function resolve(host: string, resolver: ResolveHost): Promise<CheckedAddress[]> {
  const family = isIP(host);
  if (family === 4 || family === 6) return [{ address: host, family }];
  let answers: { address: string; family: number }[];
  try {
    answers = await resolver(host);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "EAI_AGAIN" ? " (a temporary DNS failure)" : "";
    throw new HostRefused(`Host ${host} could not be resolved${why}.`, host);
  }
  const checked: CheckedAddress[] = [];
  for (const answer of answers) {
    const kind = isIP(answer.address);
    if (kind !== 4 && kind !== 6)
      throw new HostRefused(`Host ${host} resolved to something that is not an IP address.`, host);
    checked.push({ address: answer.address, family: kind });
  }
  if (checked.length === 0) throw new HostRefused(`Host ${host} could not be resolved.`, host);
  return checked;
}

/**
 * Resolves `host` once and applies the policy to every answer; the address to connect to (the first
 * answer). Throws HostRefused with a sentence for the user.
 */
export async function resolveAllowedHost(
  host: string,
  policy: HostPolicy,
  resolver: ResolveHost = systemResolver,
): Promise<CheckedAddress> {
  if (Array.isArray(policy) && !listed(host, policy)) {
    throw new HostRefused(`Host ${host} is not in SQL_ALLOWED_HOSTS.`, host);
  }
  const addresses = await resolve(host, resolver);
  if (policy === "public") {
    for (const { address } of addresses) {
      const reason = nonPublicReason(address);
      if (reason) {
        throw new HostRefused(
          `Host ${host} resolves to ${address}, ${reason}; notebooks may only connect to public hosts.`,
          host,
        );
      }
    }
  }
  return addresses[0] as CheckedAddress;
}

/**
 * The check when a connection string is set: names on a list need no resolution (the operator trusts
 * them), "any" allows everything, "public" resolves and checks every address.
 */
export async function checkHostPolicy(
  host: string,
  policy: HostPolicy,
  resolver: ResolveHost = systemResolver,
): Promise<void> {
  if (policy === "any") return;
  if (Array.isArray(policy)) {
    if (!listed(host, policy)) throw new HostRefused(`Host ${host} is not in SQL_ALLOWED_HOSTS.`, host);
    return;
  }
  await resolveAllowedHost(host, policy, resolver);
}
