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

/**
 * name → addresses, for the names that resolve. Under a sysroot: its etc/hosts (missing → nothing resolves); on
 * this machine: the system resolver, all lookups at once, each given LOOKUP_TIMEOUT_MS.
 */
export async function resolveNames(
  names: readonly string[],
  sysroot: string | null,
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  if (names.length === 0) return out;
  if (sysroot) {
    let text: string;
    try {
      text = readFileSync(resolveInside(sysroot, "/etc/hosts"), "utf8");
    } catch {
      return out;
    }
    const hosts = parseEtcHosts(text);
    for (const n of names) {
      const a = hosts.get(n);
      if (a) out[n] = a;
    }
    return out;
  }
  const answers = await Promise.all(names.map((n) => withTimeout(lookup(n, { all: true, verbatim: true }), timeoutMs)));
  names.forEach((n, i) => {
    const a = answers[i];
    if (a?.length) out[n] = [...new Set(a.map((x) => x.address))];
  });
  return out;
}
