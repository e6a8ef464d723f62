/**
 * IP addresses and CIDRs as Go's net package reads them (net.ParseIP, net.ParseCIDR, IPNet.Contains), for dockerd's
 * insecure-registry gate. Pure: no network module (SECURITY.md).
 */

/** net.ParseIP: IPv4 dotted decimal (no leading zeros since Go 1.17) or IPv6; 16 bytes, IPv4 as ::ffff:a.b.c.d. */
export function parseIP(s: string): Uint8Array | null {
  const v4 = parseIPv4(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  return parseIPv6(s);
}

function parseIPv4(s: string): number[] | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === "0")) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | null {
  if (!s.includes(":")) return null;
  let tail: number[] = [];
  let text = s;
  // An IPv4 address in the last 32 bits.
  const last = text.slice(text.lastIndexOf(":") + 1);
  if (last.includes(".")) {
    const v4 = parseIPv4(last);
    if (!v4) return null;
    tail = v4;
    text = `${text.slice(0, text.lastIndexOf(":") + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...Array<string>(8 - total).fill("0"), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i]!;
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  if (tail.length) out.set(tail, 12);
  return out;
}

/** The IPv4 form of a 16-byte address (IP.To4), or null. */
function to4(ip: Uint8Array): Uint8Array | null {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return null;
  return ip[10] === 0xff && ip[11] === 0xff ? ip.subarray(12) : null;
}

/** An IP literal (IPv4 or IPv6) as net.ParseIP accepts it. */
export function isIPLiteral(s: string): boolean {
  return parseIP(s) !== null;
}

/** address inside cidr (ParseCIDR + IPNet.Contains): an IPv4 address never matches an IPv6 prefix, nor the reverse. */
export function ipInCidr(address: string, cidr: string): boolean {
  const slash = cidr.lastIndexOf("/");
  if (slash < 0 || !/^\d{1,3}$/.test(cidr.slice(slash + 1))) return false;
  const bits = Number(cidr.slice(slash + 1));
  const net = parseIP(cidr.slice(0, slash));
  const ip = parseIP(address);
  if (!net || !ip) return false;
  const net4 = parseIPv4(cidr.slice(0, slash)) ? to4(net) : null;
  const ip4 = to4(ip);
  let a: Uint8Array;
  let n: Uint8Array;
  if (net4) {
    if (!ip4 || bits > 32) return false;
    [a, n] = [ip4, net4];
  } else {
    if (ip4 || bits > 128) return false;
    [a, n] = [ip, net];
  }
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const bit = 0x80 >> (i & 7);
    if ((a[byte]! & bit) !== (n[byte]! & bit)) return false;
  }
  return true;
}
