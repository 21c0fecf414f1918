// Validates a notebook's PostgreSQL connection string and checks its host against the SQL host policy
// (SQL_ALLOWED_HOSTS): "any", an explicit list, or "public" — which refuses loopback, private, link-local,
// CGNAT, unique-local and cloud-metadata addresses after DNS resolution, so notebooks cannot be used to
// reach the service's own network.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import type { Config } from "../config/index.js";
import { invalidConnection } from "../http/index.js";

export interface ConnectionInfo {
  host: string;
  port: number;
  database: string;
  user: string;
}

const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["fd00:ec2::", 32],
] as const)
  NON_PUBLIC.addSubnet(network, prefix, "ipv6");

/** Parses `postgres://user:password@host:port/database?…`; a 422 invalid_connection naming what is wrong. */
export function parseConnectionString(value: string): ConnectionInfo {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidConnection(
      "The connection string is not a URL like postgres://user:password@host:5432/database.",
      {
        field: "/connectionString",
      },
    );
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw invalidConnection(`The connection string must start with postgres:// (got ${url.protocol}//).`, {
      field: "/connectionString",
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw invalidConnection("The connection string has no host.", { field: "/connectionString" });
  const port = url.port ? Number(url.port) : 5432;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  const user = decodeURIComponent(url.username);
  if (!database)
    throw invalidConnection("The connection string names no database.", { field: "/connectionString" });
  if (!user) throw invalidConnection("The connection string names no user.", { field: "/connectionString" });
  return { host, port, database, user };
}

function isPublicAddress(address: string): boolean {
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return !NON_PUBLIC.check(mapped, "ipv4");
  return !NON_PUBLIC.check(address, family);
}

/** Refuses hosts the policy does not allow (422); "public" resolves the name and checks every address. */
export async function checkHostPolicy(host: string, policy: Config["sqlAllowedHosts"]): Promise<void> {
  if (policy === "any") return;
  if (Array.isArray(policy)) {
    if (!policy.some((allowed) => allowed.toLowerCase() === host.toLowerCase())) {
      throw invalidConnection(`Host ${host} is not in SQL_ALLOWED_HOSTS.`, {
        field: "/connectionString",
        host,
      });
    }
    return;
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw invalidConnection(`Host ${host} could not be resolved.`, { field: "/connectionString", host });
  }
  const refused = addresses.find((address) => !isPublicAddress(address));
  if (refused !== undefined || addresses.length === 0) {
    throw invalidConnection(
      `Host ${host} resolves to ${refused ?? "nothing"}, a private, loopback, link-local or metadata address; notebooks may only connect to public hosts.`,
      { field: "/connectionString", host },
    );
  }
}
