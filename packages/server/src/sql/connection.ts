// The check a connection string gets when a notebook's owner sets it (PUT …/database): parsed by us,
// held to the host policy, and answered as what the API may show — one call for the route.
import { invalidConnection } from "../http/index.js";
import { type ConnectionInfo, connectionInfo, parseConnectionString } from "./connection-string.js";
import { checkHostPolicy, type HostPolicy, HostRefused, type ResolveHost } from "./host-policy.js";

/** A 422 invalid_connection (naming the parameter or host) unless the string is well-formed and allowed. */
export async function checkConnectionString(
  value: string,
  policy: HostPolicy,
  resolver?: ResolveHost,
): Promise<ConnectionInfo> {
  const target = parseConnectionString(value);
  try {
    await checkHostPolicy(target.host, policy, resolver);
  } catch (error) {
    if (error instanceof HostRefused) {
      throw invalidConnection(error.message, { field: "/connectionString", host: error.host });
    }
    throw error;
  }
  return connectionInfo(target);
}
