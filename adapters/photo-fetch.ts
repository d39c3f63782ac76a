import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { PhotoInput, PhotoProblem } from '../flows/types';

/**
 * Fetches a photo a platform holds (a Kakao secure-image URL, a Telegram file, a Slack
 * url_private) at once, because the platforms' links expire within minutes. Only from the
 * channel's own hosts (an allowlist such as `*.kakaocdn.net`), never from a loopback, private or
 * link-local address (checked on the address actually connected to, so a DNS answer cannot
 * point it inward), within a time and a byte limit, without following redirects.
 *
 * Tests cannot reach kakaocdn.net: `standIns` maps an allowed host to a local origin
 * ("talk.kakaocdn.net" → "http://127.0.0.1:PORT"). It comes only from configuration that the
 * service refuses in production (PHOTO_FETCH_STAND_INS), so the production fetcher has none.
 */
export interface PhotoFetchOptions {
  /** Host patterns: "files.slack.com" exactly, "*.kakaocdn.net" for its subdomains. */
  hosts: string[];
  maxBytes: number;
  timeoutMs: number;
  /** Operator-configured origins fetched as they are (a Telegram Bot API root); never user input. */
  trustedOrigins?: string[];
  /** Test only: allowed host → local origin that stands in for it (its address is not checked). */
  standIns?: Record<string, string>;
  /** Tests: an allowed host without a stand-in is not fetched at all (no traffic leaves the machine). */
  onlyStandIns?: boolean;
}

/** Addresses a photo is never fetched from: loopback, private, link-local, CGNAT, unspecified, multicast. */
const INWARD = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  INWARD.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INWARD.addSubnet(net, bits, 'ipv6');

export function isInwardAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6 && /^::ffff:/i.test(address)) return isInwardAddress(address.replace(/^::ffff:/i, ''));
  return INWARD.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a host matches one of the patterns ("*.kakaocdn.net" covers its subdomains, not itself). */
export function hostAllowed(host: string, patterns: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((p) => {
    const pattern = p.trim().toLowerCase();
    if (!pattern) return false;
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern;
  });
}

class Refused extends Error {
  constructor(readonly problem: PhotoProblem) {
    super(problem);
  }
}

/** A DNS lookup that connects only to outward addresses (a refused one fails the connection). */
function outwardLookup(
  hostname: string,
  options: object,
  callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as LookupAddress[];
    if (list.length === 0 || list.some((a) => isInwardAddress(a.address)))
      return callback(new Refused('not_allowed'), '');
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

/**
 * Fetches `url` as a photo: the bytes, or why not. `headers` go only to an allowed host (a Slack
 * bot token never leaves files.slack.com).
 */
export async function fetchPhoto(
  url: string,
  opts: PhotoFetchOptions,
  headers: Record<string, string> = {},
): Promise<PhotoInput> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, problem: 'not_allowed' };
  }
  if ((target.protocol !== 'https:' && target.protocol !== 'http:') || target.username || target.password)
    return { ok: false, problem: 'not_allowed' };
  const trusted = opts.trustedOrigins?.includes(target.origin) ?? false;
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!trusted) {
    if (!hostAllowed(host, opts.hosts)) return { ok: false, problem: 'not_allowed' };
    // an allowed name written as a literal address is still an address
    if (isIP(host) && isInwardAddress(host)) return { ok: false, problem: 'not_allowed' };
  }
  const standIn = trusted ? undefined : opts.standIns?.[host.toLowerCase()];
  if (!trusted && !standIn && opts.onlyStandIns) return { ok: false, problem: 'unreachable' };
  if (standIn) target = new URL(`${target.pathname}${target.search}`, standIn);
  const checked = !trusted && !standIn;
  try {
    return { ok: true, bytes: await download(target, opts, headers, checked) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, problem: err.problem };
    return { ok: false, problem: 'unreachable' };
  }
}

function download(
  target: URL,
  opts: PhotoFetchOptions,
  headers: Record<string, string>,
  checked: boolean,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      { method: 'GET', headers: { accept: 'image/*', ...headers }, ...(checked ? { lookup: outwardLookup } : {}) },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // redirects are not followed: the next hop would be a host nobody allowed
        if (status !== 200) {
          res.resume();
          return reject(new Refused(status === 403 || status === 404 || status === 410 ? 'expired' : 'unreachable'));
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > opts.maxBytes) {
          res.destroy();
          return reject(new Refused('too_large'));
        }
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) {
            res.destroy();
            reject(new Refused('too_large'));
            return;
          }
          parts.push(chunk);
        });
        res.on('end', () => resolve(Buffer.concat(parts)));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      reject(new Refused('unreachable'));
      req.destroy();
    }, opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) =>
      reject(
        err instanceof Refused
          ? err
          : (err as { cause?: unknown }).cause instanceof Refused
            ? (err as { cause: Refused }).cause
            : err,
      ),
    );
    req.end();
  });
}

/** PHOTO_FETCH_STAND_INS ("host=http://127.0.0.1:1234,host2=…") as a map. */
export function parseStandIns(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [host, origin] = pair.split('=');
    if (host && origin) out[host.toLowerCase()] = origin;
  }
  return out;
}
