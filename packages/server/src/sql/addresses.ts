// Says whether an IP address is a public unicast address a notebook may connect to, or why not: the IPv4
// and IPv6 special-purpose ranges (IANA's registries), cloud metadata addresses, and every IPv6 form that
// carries an IPv4 address (mapped, translated, compatible, NAT64, 6to4, Teredo), whose IPv4 part is judged
// as IPv4 — so `[::ffff:127.0.0.1]` or `[64:ff9b::7f00:1]` is loopback, not "some IPv6 host".
import { isIPv4, isIPv6 } from "node:net";

interface Range {
  /** Network bits, most significant first (IPv4: 32 bits, IPv6: 128 bits). */
  network: bigint;
  prefix: number;
  reason: string;
}

const METADATA = new Set(["169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192"]);

function ipv4Bits(address: string): bigint {
  return address.split(".").reduce((bits, part) => (bits << 8n) | BigInt(Number(part)), 0n);
}

function ipv4Text(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join(".");
}

/** The 128 bits of an IPv6 address (`::` and a trailing dotted IPv4 part expanded). */
function ipv6Bits(address: string): bigint {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const v4 = ipv4Bits(dotted);
    text = `${text.slice(0, -dotted.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((bits, group) => (bits << 16n) | BigInt(Number.parseInt(group || "0", 16)), 0n);
}

function ranges(width: number, list: [string, number, string][], parse: (a: string) => bigint): Range[] {
  return list.map(([network, prefix, reason]) => ({
    network: parse(network) >> BigInt(width - prefix),
    prefix,
    reason,
  }));
}

const IPV4_RANGES = ranges(
  32,
  [
    ["0.0.0.0", 8, "a 'this network' address"],
    ["10.0.0.0", 8, "a private address"],
    ["100.64.0.0", 10, "a carrier-grade NAT (shared) address"],
    ["127.0.0.0", 8, "a loopback address"],
    ["169.254.0.0", 16, "a link-local address"],
    ["172.16.0.0", 12, "a private address"],
    ["192.0.0.0", 24, "an IETF protocol address"],
    ["192.0.2.0", 24, "a documentation address"],
    ["192.88.99.0", 24, "a 6to4 relay address"],
    ["192.168.0.0", 16, "a private address"],
    ["198.18.0.0", 15, "a benchmarking address"],
    ["198.51.100.0", 24, "a documentation address"],
    ["203.0.113.0", 24, "a documentation address"],
    ["224.0.0.0", 4, "a multicast address"],
    ["240.0.0.0", 4, "a reserved or broadcast address"],
  ],
  ipv4Bits,
);

const IPV6_RANGES = ranges(
  128,
  [
    ["::", 128, "the unspecified address"],
    ["::1", 128, "a loopback address"],
    ["::", 96, "an IPv4-compatible address (deprecated)"],
    ["64:ff9b:1::", 48, "a local-use NAT64 address"],
    ["100::", 64, "a discard-only address"],
    ["2001:2::", 48, "a benchmarking address"],
    ["2001:10::", 28, "an ORCHID address"],
    ["2001:20::", 28, "an ORCHID address"],
    ["2001:db8::", 32, "a documentation address"],
    ["3fff::", 20, "a documentation address"],
    ["5f00::", 16, "a segment-routing address"],
    ["fc00::", 7, "a unique-local (private) address"],
    ["fe80::", 10, "a link-local address"],
    ["fec0::", 10, "a site-local address"],
    ["ff00::", 8, "a multicast address"],
  ],
  ipv6Bits,
);

function match(bits: bigint, width: number, list: Range[]): string | null {
  for (const range of list) {
    if (bits >> BigInt(width - range.prefix) === range.network) return range.reason;
  }
  return null;
}

function ipv4Reason(bits: bigint): string | null {
  const text = ipv4Text(bits);
  if (METADATA.has(text)) return "a cloud metadata address";
  return match(bits, 32, IPV4_RANGES);
}

/** IPv6 forms that carry an IPv4 address: each embedded address, to be judged as IPv4. */
function embeddedIpv4(bits: bigint): bigint[] {
  const top = (prefix: number) => bits >> BigInt(128 - prefix);
  const low32 = bits & 0xffffffffn;
  if (top(96) === 0xffffn) return [low32]; // ::ffff:a.b.c.d, IPv4-mapped
  if (top(96) === 0xffff0000n) return [low32]; // ::ffff:0:a.b.c.d, IPv4-translated
  if (top(96) === 0x64ff9b0000000000000000n) return [low32]; // 64:ff9b::/96, NAT64
  if (top(16) === 0x2002n) return [(bits >> 80n) & 0xffffffffn]; // 2002:AABB:CCDD::/48, 6to4
  if (top(32) === 0x20010000n) return [(bits >> 64n) & 0xffffffffn, low32 ^ 0xffffffffn]; // Teredo: server, client
  return [];
}

/**
 * Why `address` is not a public unicast address (a sentence fragment: "a loopback address"), or null
 * when it is. Anything that is not a well-formed IP address is refused.
 */
export function nonPublicReason(address: string): string | null {
  if (isIPv4(address)) return ipv4Reason(ipv4Bits(address));
  if (!isIPv6(address) || address.includes("%")) return "not a plain IP address";
  const bits = ipv6Bits(address);
  for (const v4 of embeddedIpv4(bits)) {
    const reason = ipv4Reason(v4);
    if (reason) return `${reason} (${ipv4Text(v4)} inside an IPv6 address)`;
  }
  if (embeddedIpv4(bits).length > 0) return null;
  const special = match(bits, 128, IPV6_RANGES);
  if (special) return special;
  if (bits >> 125n !== 1n) return "an unassigned IPv6 address (outside 2000::/3)";
  return null;
}
