/**
 * The machine's configuration as `certsd-lint where` takes it (issue 13): what daemon.json, containerd's config.toml
 * and registries.conf say about one registry host. The CLI fills it from src/host/ when `--host` or `--sysroot` is
 * given (this layer never reads a configuration file); without it `where` models the built-in rules only.
 */
import type { DockerEngine } from "./docker-engine.js";
import { dockerSkip } from "./docker.js";
import { hostPart } from "./host-names.js";

/** One configuration file `where` looked for, as the machine sees it. */
export interface ConfigFileRead {
  path: string;
  /** read: found and understood; absent: not there (the daemon's defaults apply); invalid: the daemon refuses it. */
  state: "read" | "absent" | "invalid";
  /** For "invalid": the daemon's own error where known. */
  error: string | null;
}

/** A `[[registry.mirror]]` table of registries.conf. */
export interface ContainersMirror {
  location: string;
  insecure: boolean;
  /** pull-from-mirror: "", "all", "digest-only" or "tag-only". */
  pullFromMirror: string;
}

/** A `[[registry]]` table of registries.conf, after containers/image's postProcessRegistries. */
export interface ContainersRegistry {
  /** The file it came from (the last one that set its prefix: drop-ins replace whole tables). */
  file: string;
  prefix: string;
  location: string;
  insecure: boolean;
  blocked: boolean;
  mirrorByDigestOnly: boolean;
  mirrors: ContainersMirror[];
}

/** How a registry name resolved: its addresses and where they came from. */
export interface ResolvedName {
  addresses: string[];
  /** `/etc/hosts`, `the sysroot's /etc/hosts`, or `the resolver` (this machine's, for names /etc/hosts lacks). */
  via: string;
  /** Why a resolver given one failed (none is by default). */
  error: string | null;
}

export interface WhereHostConfig {
  /** host: this machine (--host); sysroot: a mounted image of another one. */
  source: "host" | "sysroot";
  files: ConfigFileRead[];
  /** daemon.json insecure-registries, split as dockerd's loadInsecureRegistries does. */
  dockerInsecure: { names: string[]; cidrs: string[] };
  /** daemon.json registry-mirrors, as hosts. */
  dockerMirrors: string[];
  /** Which image store `docker pull` uses on this machine, and why (loader-semantics §4). */
  dockerStore: { store: "classic" | "containerd"; reason: string };
  /** Registry host names (no port) → their addresses; IP literals are not looked up. */
  resolved: Record<string, ResolvedName>;
  containerd: {
    /** /etc/containerd or its config.toml exists. */
    present: boolean;
    /** CRI's effective config_path (a list joined by `:`), null when CRI reads none. */
    configPath: string | null;
    /** Where it came from (`/etc/containerd/config.toml [section]`, `containerd 2.2's default`, …). */
    source: string;
    criDisabled: boolean;
    /** CRI pulls go through the transfer service (v2.1+ unless use_local_image_pull = true). */
    transfer: boolean;
  };
  /** containers/image: the merged `[[registry]]` tables. */
  registries: ContainersRegistry[];
  /** registries.conf and its drop-in directory, as containers/image names them in errors. */
  registriesConfPath: string;
  registriesConfDirPath: string;
  /** The home containers/image searches first ($HOME, else /root inside a sysroot). */
  podmanHome: string;
  /**
   * The roots host discovery found that change who reads what (discover.ts): the docker snap's root when the snap's
   * dockerd is the one installed (it reads no /etc/docker/certs.d), the rootless dockerd roots that exist, and the
   * Kubernetes distributions' containerd roots that exist.
   */
  discovered?: {
    snapRoot: string | null;
    rootless: string[];
    kube: Array<{ id: string; path: string }>;
  };
}

/**
 * dockerd's gate on what the name resolves to (docker.ts dockerSkip, as isSecureIndex: every address against the
 * insecure CIDRs, 127.0.0.0/8 always and ::1/128 from v28). Exact names and IP literals are dockerNotReadReason's.
 * Returns why classic skips certs.d, with where the address came from, or null.
 */
export function insecureByResolution(host: string, cfg: WhereHostConfig, engine: DockerEngine): string | null {
  const h = hostPart(host);
  const r = cfg.resolved[h];
  if (!r?.addresses.length) return null;
  const skip = dockerSkip(
    host,
    {
      ...engine,
      insecureRegistries: { names: [], cidrs: cfg.dockerInsecure.cidrs },
      addresses: { [h.toLowerCase()]: r.addresses },
    },
    r.via,
  );
  return skip?.address ? skip.reason : null;
}

/** containers/image's refMatchingPrefix (pkg/sysregistriesv2/system_registries_v2.go @ df7e80d2d1). */
function refMatchingPrefix(ref: string, prefix: string): number {
  if (prefix.startsWith("*.")) {
    const index = ref.indexOf(prefix.slice(1));
    if (index === -1 || ref.slice(0, index).includes("/")) return -1;
    const end = index + prefix.length - 1;
    if (end === ref.length) return end;
    return ":/@".includes(ref[end]!) ? end : -1;
  }
  if (ref.length < prefix.length) return -1;
  if (ref.length === prefix.length) return ref === prefix ? prefix.length : -1;
  if (!ref.startsWith(prefix)) return -1;
  // "This allows "example.com:5000" to match "example.com", which is unintended" (the source's own comment).
  return ":/@".includes(ref[prefix.length]!) ? prefix.length : -1;
}

/** findRegistryWithParsedConfig: the [[registry]] with the longest matching prefix, or null. */
export function findContainersRegistry(name: string, regs: readonly ContainersRegistry[]): ContainersRegistry | null {
  let best: ContainersRegistry | null = null;
  for (const r of regs)
    if (refMatchingPrefix(name, r.prefix) !== -1 && r.prefix.length > (best?.prefix.length ?? 0)) best = r;
  return best;
}

export interface PullSource {
  /** The host whose certs.d directory the attempt reads (reference.Domain of the rewritten reference). */
  host: string;
  mirror: boolean;
  insecure: boolean;
}

/** The domain of a rewritten reference: what splitDockerDomain takes as the registry (docker.io otherwise). */
function domainOf(named: string): string {
  const i = named.indexOf("/");
  // A registry asked about on its own (`where myreg:5000`, a login URL): its location's host.
  if (i < 0) return named.split(/[@]/)[0]!;
  const first = i < 0 ? "" : named.slice(0, i);
  if (i < 0 || (!/[.:]/.test(first) && first !== "localhost" && first.toLowerCase() === first)) return "docker.io";
  return first === "index.docker.io" ? "docker.io" : first;
}

/**
 * Registry.PullSourcesFromReference: the mirrors allowed for this reference (mirror-by-digest-only, pull-from-mirror),
 * then the primary location, each with the reference rewritten from the prefix to its location (rewriteReference).
 * `name` is the reference as containers/image formats it (`myreg:5000/team/app:1.0`).
 */
export function containersPullSources(reg: ContainersRegistry, name: string, digested: boolean): PullSource[] {
  const endpoints: Array<{ location: string; insecure: boolean; mirror: boolean }> = [];
  for (const m of reg.mirrors) {
    if (reg.mirrorByDigestOnly && !digested) continue;
    if (m.pullFromMirror === "digest-only" && !digested) continue;
    if (m.pullFromMirror === "tag-only" && digested) continue;
    endpoints.push({ location: m.location, insecure: m.insecure, mirror: true });
  }
  endpoints.push({ location: reg.location, insecure: reg.insecure, mirror: false });
  const len = refMatchingPrefix(name, reg.prefix);
  return endpoints.map((e) => ({
    // An empty location (a `*.example.com` prefix) keeps the reference as it is.
    host: domainOf(e.location === "" || len < 0 ? name : e.location + name.slice(len)),
    mirror: e.mirror,
    insecure: e.insecure,
  }));
}
