/**
 * Where a webhook may go: public addresses only, checked twice. When an officer adds a target, its host is resolved
 * and every address must be public (checkWebhookHost, a reason the console shows). When it is sent, the request's
 * own DNS lookup goes through publicOnlyLookup, so the address connected to is the one checked: a name that
 * resolved to a public address when it was saved and to 10.0.0.5 today is refused today.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress, describeAddress, type AddressVerdict } from './public-address';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name resolves to (node:dns lookup, as connections use), or throws. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookReach {
  resolve: Resolve;
  /**
   * Tests only: receivers on this machine or a private network, and plain http://, are allowed. The notify tests
   * set it on their own sender; nothing in the server sets it.
   */
  allowPrivateAddresses: boolean;
}

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

let forTests: Partial<WebhookReach> | null = null;

/**
 * Tests only (tests/support/server.ts): what every sender and console API that is given no reach of its own uses,
 * e.g. a resolver for the example host names tests type (the test machine has no DNS). Refused in production.
 */
export function setWebhookReachForTests(reach: Partial<WebhookReach> | null): void {
  if (process.env.NODE_ENV === 'production') throw new Error('setWebhookReachForTests is for tests; it is refused with NODE_ENV=production');
  forTests = reach;
}

/** The reach to use: public addresses through the system resolver, unless a test said otherwise. */
export function webhookReach(given: Partial<WebhookReach> = {}): WebhookReach {
  return { resolve: systemResolve, allowPrivateAddresses: false, ...forTests, ...given };
}

/**
 * A webhook's host is not one to send to: the reason is plain words for an officer, with no receiver's text in it.
 * `unresolved`: the name did not resolve (DNS may answer later); otherwise an address is not public.
 */
export class WebhookAddressRefusedError extends Error {
  constructor(
    readonly hostname: string,
    reason: string,
    readonly unresolved = false,
  ) {
    super(reason);
    this.name = 'WebhookAddressRefusedError';
  }
}

const ONLY_PUBLIC = 'webhooks may only reach public internet addresses';
const RESOLVE_TIMEOUT_MS = 5_000;

/** The URL's host as an address or a name: brackets off an IPv6 literal. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** The refusal for a literal IP host, or null when it may be reached (the URL parser has normalised 0x7f.1 and such). */
export function refuseLiteral(host: string, reach: Pick<WebhookReach, 'allowPrivateAddresses'>): string | null {
  if (!isIP(host) || reach.allowPrivateAddresses) return null;
  const v = classifyAddress(host);
  return v.public ? null : `${describeAddress(v)}; ${ONLY_PUBLIC}`;
}

/**
 * Resolves a host name and throws WebhookAddressRefusedError unless every address is public (one private address
 * among public ones is enough to be sent inside by a resolver that picks it).
 */
export async function checkWebhookHost(host: string, reach: WebhookReach): Promise<ResolvedAddress[]> {
  const literal = refuseLiteral(host, reach);
  if (literal) throw new WebhookAddressRefusedError(host, literal);
  if (isIP(host)) return [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  let addresses: ResolvedAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    addresses = await Promise.race([
      reach.resolve(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' })), RESOLVE_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    throw new WebhookAddressRefusedError(host, `${host} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}`, true);
  } finally {
    clearTimeout(timer);
  }
  if (!addresses.length) throw new WebhookAddressRefusedError(host, `${host} resolves to no address`, true);
  if (!reach.allowPrivateAddresses) {
    const refused = addresses.map((a) => classifyAddress(a.address)).find((v): v is Extract<AddressVerdict, { public: false }> => !v.public);
    if (refused) throw new WebhookAddressRefusedError(host, `${host} resolves to ${describeAddress(refused)}; ${ONLY_PUBLIC}`);
  }
  return addresses;
}

/**
 * A `lookup` for http(s).request: resolves through the reach and fails the connection with
 * WebhookAddressRefusedError before any byte is sent when an address is not public. Node calls it only for host
 * names; literal IPs are checked by the caller (refuseLiteral).
 */
export function publicOnlyLookup(reach: WebhookReach): LookupFunction {
  return (hostname, options, callback) => {
    checkWebhookHost(hostname, reach).then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (!wanted.length) {
          return callback(Object.assign(new Error(`${hostname} has no IPv${String(options.family)} address`), { code: 'ENOTFOUND' }), '', 0);
        }
        if (options.all) return (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
        callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
    );
  };
}
