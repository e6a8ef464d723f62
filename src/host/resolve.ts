/**
 * What the registry names in the Docker roots resolve to, for dockerd's insecure-registry gate (moby isSecureIndex
 * resolves the host with net.LookupIP and matches every address against the insecure CIDRs, 127.0.0.0/8 always
 * among them). Under --sysroot only the imaged machine's etc/hosts is read (its DNS is not ours to ask); on this
 * machine the system resolver answers (getaddrinfo: /etc/hosts, then DNS, as nsswitch says), each lookup bounded.
 */
import { lookup } from "node:dns/promises";
import { readdirSync, readFileSync } from "node:fs";
import { resolveInside } from "../scan/confine.js";
import { containerdOnlyName, hostPart } from "../runtimes/host-names.js";
import { isIPLiteral } from "../runtimes/ip.js";
import type { ResolvedName } from "../runtimes/where-config.js";
import type { HostDiscovery } from "./discover.js";

/** How long one name may take on this machine's resolver before it counts as not resolving. */
export const LOOKUP_TIMEOUT_MS = 1500;

/**
 * An etc/hosts file as Go's net package reads it (hosts.go readHosts): `#` starts a comment, the first field is an
 * address (a zone after `%` allowed), every further field a name, matched without regard to case; later lines add.
 */
export function parseEtcHosts(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "");
    const f = line.split(/[ \t\r]+/).filter(Boolean);
    if (f.length < 2) continue;
    const addr = f[0]!.replace(/%.*$/, "");
    if (!isIPLiteral(addr)) continue;
    for (const name of f.slice(1)) {
      const key = name.toLowerCase().replace(/\.$/, "");
      const list = out.get(key) ?? [];
      if (!list.includes(addr)) list.push(addr);
      out.set(key, list);
    }
  }
  return out;
}

/** The host names (lower case) of the directories in the roots dockerd reads that a lookup could change. */
export function namesToResolve(d: HostDiscovery): string[] {
  const names = new Set<string>();
  for (const r of d.settings.roots) {
    if (!r.exists || !r.runtimes.includes("docker")) continue;
    let entries: string[];
    try {
      entries = readdirSync(r.realPath);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e === "docker.io" || e === "index.docker.io" || containerdOnlyName(e)) continue;
      const h = hostPart(e);
      if (h && !isIPLiteral(h)) names.add(h.toLowerCase());
    }
  }
  return [...names].sort();
}

/** One name through this machine's resolver, bounded: its addresses, or [] when it does not resolve in time. */
export async function lookupName(name: string, timeoutMs = LOOKUP_TIMEOUT_MS): Promise<string[]> {
  const a = await withTimeout(lookup(name, { all: true, verbatim: true }), timeoutMs);
  return a ? [...new Set(a.map((x) => x.address))] : [];
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(null);
      },
    );
  });
}

/** How one name resolved, and from where (`/etc/hosts`, `the sysroot's /etc/hosts`, `the resolver`). */
export type Resolution = ResolvedName;

/** How many lookups run at once (libuv's thread pool has 4 threads: more would only queue behind them). */
const CONCURRENT_LOOKUPS = 4;

/**
 * Each name as dockerd's net.LookupIP finds it: the hosts file first (the sysroot's etc/hosts under a sysroot, where
 * nothing else is asked), then, on this machine, `lookup` (default: the system resolver), at most
 * CONCURRENT_LOOKUPS at a time, each bounded from its own start.
 */
export async function resolveAll(
  names: readonly string[],
  sysroot: string | null,
  lookup: ((name: string) => Promise<string[]>) | undefined = sysroot ? undefined : (n) => lookupName(n),
): Promise<Record<string, Resolution>> {
  const out: Record<string, Resolution> = {};
  if (names.length === 0) return out;
  let text = "";
  try {
    text = readFileSync(sysroot ? resolveInside(sysroot, "/etc/hosts") : "/etc/hosts", "utf8");
  } catch {
    // No hosts file: every name goes to the resolver (or, under a sysroot, is unknown).
  }
  const hosts = parseEtcHosts(text);
  const via = sysroot ? "the sysroot's /etc/hosts" : "/etc/hosts";
  const asked: string[] = [];
  for (const n of names) {
    const listed = hosts.get(n.toLowerCase().replace(/\.$/, ""));
    if (listed) out[n] = { addresses: listed, via, error: null };
    else if (lookup) asked.push(n);
    else out[n] = { addresses: [], via, error: null };
  }
  let next = 0;
  const worker = async () => {
    while (next < asked.length) {
      const n = asked[next++]!;
      try {
        const addresses = await lookup!(n);
        out[n] = { addresses, via: "the resolver", error: addresses.length ? null : "no address" };
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        out[n] = { addresses: [], via: "the resolver", error: err.code ?? err.message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_LOOKUPS, asked.length) }, worker));
  return Object.fromEntries(names.filter((n) => out[n]).map((n) => [n, out[n]!]));
}

/** name → addresses, for the names that resolve (resolveAll without the provenance). */
export async function resolveNames(
  names: readonly string[],
  sysroot: string | null,
): Promise<Record<string, string[]>> {
  const all = await resolveAll(names, sysroot);
  return Object.fromEntries(Object.entries(all).flatMap(([n, r]) => (r.addresses.length ? [[n, r.addresses]] : [])));
}
