/**
 * Which IP addresses a webhook may reach: public unicast only. Pure: an address in, a verdict out. Officers type
 * webhook URLs; without this a URL could make the server call its own admin ports, the office network or the
 * cloud's metadata service (169.254.169.254) on an officer's behalf.
 *
 * The ranges are IANA's special-purpose registries (RFC 6890 and successors). IPv6 is public only inside global
 * unicast (2000::/3) and outside the special blocks in it; an IPv6 address that carries an IPv4 one (mapped
 * ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, the old compatible ::a.b.c.d) is judged by the IPv4 address it reaches.
 */
import { BlockList, isIP } from 'node:net';

export type AddressKind =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud metadata'
  | 'shared (carrier-grade NAT)'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'documentation'
  | 'reserved';

export type AddressVerdict = { public: true; address: string } | { public: false; address: string; kind: AddressKind | 'not an IP' };

type Range = readonly [network: string, prefix: number];

// Order matters: the first list that holds the address names it (metadata before link-local, broadcast before reserved).
const V4: ReadonlyArray<readonly [AddressKind, readonly Range[]]> = [
  // AWS, GCP, Azure, OpenStack; ECS task credentials; Alibaba Cloud.
  ['cloud metadata', [['169.254.169.254', 32], ['169.254.170.2', 32], ['100.100.100.200', 32]]],
  ['unspecified', [['0.0.0.0', 32]]],
  ['loopback', [['127.0.0.0', 8]]],
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]]],
  ['link-local', [['169.254.0.0', 16]]],
  ['shared (carrier-grade NAT)', [['100.64.0.0', 10]]],
  ['multicast', [['224.0.0.0', 4]]],
  ['broadcast', [['255.255.255.255', 32]]],
  ['documentation', [['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24]]],
  // "This network", IETF protocol assignments, the old 6to4 relay, benchmarking, class E.
  ['reserved', [['0.0.0.0', 8], ['192.0.0.0', 24], ['192.88.99.0', 24], ['198.18.0.0', 15], ['240.0.0.0', 4]]],
];

const V6: ReadonlyArray<readonly [AddressKind, readonly Range[]]> = [
  ['cloud metadata', [['fd00:ec2::254', 128]]],
  ['unspecified', [['::', 128]]],
  ['loopback', [['::1', 128]]],
  ['private', [['fc00::', 7], ['fec0::', 10]]], // unique local; the old site-local
  ['link-local', [['fe80::', 10]]],
  ['multicast', [['ff00::', 8]]],
  ['documentation', [['2001:db8::', 32], ['3fff::', 20]]],
  // Discard-only, IETF protocol assignments (Teredo among them), 6to4, SRv6 segment ids, local-use NAT64.
  ['reserved', [['100::', 64], ['2001::', 23], ['2002::', 16], ['5f00::', 16], ['64:ff9b:1::', 48]]],
];

function lists(family: 'ipv4' | 'ipv6', table: ReadonlyArray<readonly [AddressKind, readonly Range[]]>) {
  return table.map(([kind, ranges]) => {
    const list = new BlockList();
    for (const [net, prefix] of ranges) list.addSubnet(net, prefix, family);
    return [kind, list] as const;
  });
}

const V4_LISTS = lists('ipv4', V4);
const V6_LISTS = lists('ipv6', V6);
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

/** Whether a webhook may connect to `ip` (an address, not a host name; brackets and a zone id are allowed). */
export function classifyAddress(ip: string): AddressVerdict {
  const address = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '').toLowerCase();
  const family = isIP(address);
  if (family === 4) return classifyV4(address);
  if (family !== 6) return { public: false, address, kind: 'not an IP' };
  const groups = expandV6(address);
  // An IPv6 address that carries an IPv4 one reaches that IPv4 address: mapped, NAT64, and the old compatible form.
  const carried =
    isPrefix(groups, [0, 0, 0, 0, 0, 0xffff]) || isPrefix(groups, [0x64, 0xff9b, 0, 0, 0, 0]) || (isPrefix(groups, [0, 0, 0, 0, 0, 0]) && groups[6]! !== 0)
      ? `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`
      : null;
  if (carried) {
    const v4 = classifyV4(carried);
    return v4.public ? { public: true, address } : { public: false, address, kind: v4.kind };
  }
  for (const [kind, list] of V6_LISTS) if (list.check(address, 'ipv6')) return { public: false, address, kind };
  if (!GLOBAL_UNICAST.check(address, 'ipv6')) return { public: false, address, kind: 'reserved' };
  return { public: true, address };
}

export const isPublicAddress = (ip: string): boolean => classifyAddress(ip).public;

/** "127.0.0.1, a loopback address": how a refusal names what it refused. */
export function describeAddress(v: AddressVerdict): string {
  if (v.public) return `${v.address}, a public address`;
  if (v.kind === 'not an IP') return `${v.address}, not an IP address`;
  return `${v.address}, ${/^[aeiou]/.test(v.kind) ? 'an' : 'a'} ${v.kind} address`;
}

function classifyV4(address: string): AddressVerdict {
  for (const [kind, list] of V4_LISTS) if (list.check(address, 'ipv4')) return { public: false, address, kind };
  return { public: true, address };
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 part included). */
function expandV6(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

const isPrefix = (groups: number[], prefix: number[]) => prefix.every((g, i) => groups[i] === g);
