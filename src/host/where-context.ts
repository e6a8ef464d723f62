/**
 * The machine's configuration for `certsd-lint where` and `explain` (--host, --sysroot; issue 13), read through host
 * discovery (discover.ts: daemon.json, containerd's config.toml, the image store) plus what `where` needs beyond it:
 * containers/image's whole registries.conf (`[[registry]]` prefixes, locations, mirrors, insecure, blocked; the
 * per-user file and the drop-in directories, merged as containers/image merges them) and the addresses of the
 * registry names, as dockerd's insecure-registry gate looks them up: /etc/hosts, then, on this machine only, its
 * resolver (resolve.ts, bounded; the one lookup certsd-lint makes, SECURITY.md). Under a sysroot only its
 * /etc/hosts is read: a name it does not list is reported as unknown, and what that machine's DNS answer would change
 * is said instead. Under a sysroot nothing outside it is read.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { goTomlParse } from "../material/go-toml.js";
import { containerdRelease } from "../runtimes/containerd-release.js";
import type { DockerEngine } from "../runtimes/docker-engine.js";
import { hostPart } from "../runtimes/host-names.js";
import { isIPLiteral } from "../runtimes/ip.js";
import type {
  ConfigFileRead,
  ContainersMirror,
  ContainersRegistry,
  ResolvedName,
  WhereHostConfig,
} from "../runtimes/where-config.js";
import { resolveInside } from "../scan/confine.js";
import { DOCKER_ROOT } from "../runtimes/roots.js";
import { splitInsecure } from "./config-files.js";
import { discoverHost } from "./discover.js";
import { lookupName, resolveAll } from "./resolve.js";

export interface WhereContextOptions {
  /** --sysroot; null for this machine (--host). */
  sysroot: string | null;
  docker: DockerEngine;
  containerdVersion: string;
  /** Registry hosts (host[:port]) whose names to resolve. */
  hosts: readonly string[];
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** A resolver for the names /etc/hosts does not list (default: this machine's, bounded; none under a sysroot). */
  lookup?: (name: string) => Promise<string[]>;
}

class Files {
  constructor(readonly sysroot: string | null) {}

  private real(p: string): string | null {
    try {
      return this.sysroot ? resolveInside(this.sysroot, p) : p;
    } catch {
      return null;
    }
  }

  /** The bytes of a regular file, null when absent; an error (EACCES…) as its message. */
  read(p: string): Buffer | null | Error {
    const r = this.real(p);
    if (r === null) return null;
    try {
      return statSync(r).isFile() ? readFileSync(r) : null;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return err.code === "ENOENT" || err.code === "ENOTDIR" ? null : new Error(`open ${p}: ${err.code}`);
    }
  }

  exists(p: string): boolean {
    const r = this.real(p);
    if (r === null) return false;
    try {
      statSync(r);
      return true;
    } catch {
      return false;
    }
  }

  /** *.conf files directly in a directory, in lexical order (filepath.WalkDir, no recursion). */
  confs(dir: string): string[] {
    const r = this.real(dir);
    if (r === null) return [];
    try {
      return readdirSync(r, { withFileTypes: true })
        .filter((d) => !d.isDirectory() && d.name.endsWith(".conf"))
        .map((d) => d.name)
        .sort()
        .map((n) => path.posix.join(dir, n));
    } catch {
      return [];
    }
  }
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** parseLocation: trailing slashes dropped; a URI scheme is refused. */
function parseLocation(input: string): string {
  const trimmed = input.replace(/\/+$/, "");
  if (trimmed.startsWith("http://") || trimmed.startsWith("https://"))
    throw new Error(`invalid location '${input}': URI schemes are not supported`);
  return trimmed;
}

/**
 * One registries.conf file as containers/image's loadConfigFile reads it (pkg/sysregistriesv2/
 * system_registries_v2.go @ df7e80d2d1): v2 `[[registry]]` tables, or the v1 `[registries.insecure]` /
 * `[registries.block]` lists converted to v2 (drop-ins must be v2), then postProcessRegistries' prefix defaults.
 */
function parseRegistriesConf(file: string, data: Buffer, forceV2: boolean): ContainersRegistry[] {
  const parsed = goTomlParse(data, 2);
  if (!parsed.ok) throw new Error(parsed.error.text);
  const doc = parsed.doc as Table;
  const v1 = isTable(doc.registries) ? doc.registries : null;
  const out: ContainersRegistry[] = [];
  if (v1) {
    if (forceV2) throw new Error("registry must be in v2 format but is in v1");
    const list = (k: string) => {
      const t = v1[k];
      return isTable(t) && Array.isArray(t.registries) ? t.registries.filter((x) => typeof x === "string") : [];
    };
    const byLoc = new Map<string, ContainersRegistry>();
    const get = (loc: string) => {
      const l = parseLocation(loc);
      if (!byLoc.has(l))
        byLoc.set(l, {
          file,
          prefix: l,
          location: l,
          insecure: false,
          blocked: false,
          mirrorByDigestOnly: false,
          mirrors: [],
        });
      return byLoc.get(l)!;
    };
    // ConvertToV2: the blocked ones first, then the insecure ones, each location once.
    for (const r of list("block")) get(r).blocked = true;
    for (const r of list("insecure")) get(r).insecure = true;
    return [...byLoc.values()];
  }
  const regs = Array.isArray(doc.registry) ? doc.registry : [];
  for (const r of regs) {
    if (!isTable(r)) continue;
    const location = parseLocation(str(r.location));
    let prefix = str(r.prefix);
    if (prefix === "") {
      if (location === "") throw new Error("invalid condition: both location and prefix are unset");
      prefix = location;
    } else prefix = parseLocation(prefix);
    const mirrors: ContainersMirror[] = (Array.isArray(r.mirror) ? r.mirror : []).filter(isTable).map((m) => {
      const loc = parseLocation(str(m.location));
      if (loc === "") throw new Error("invalid condition: mirror location is unset");
      return { location: loc, insecure: m.insecure === true, pullFromMirror: str(m["pull-from-mirror"]) };
    });
    out.push({
      file,
      prefix,
      location,
      insecure: r.insecure === true,
      blocked: r.blocked === true,
      mirrorByDigestOnly: r["mirror-by-digest-only"] === true,
      mirrors,
    });
  }
  return out;
}

/**
 * containers/image's configuration files (newConfigWrapperWithHomeDir, dropInConfigs, tryUpdatingCache): the per-user
 * `~/.config/containers/registries.conf` when it exists (then the system file and directory are not read), else
 * /etc/containers/registries.conf; then every *.conf of /etc/containers/registries.conf.d and
 * ~/.config/containers/registries.conf.d, each replacing whole `[[registry]]` tables by prefix
 * (updateWithConfigurationFrom), sorted by prefix.
 */
function containersRegistries(f: Files, home: string) {
  const userFile = path.posix.join(home, ".config/containers/registries.conf");
  const userDir = path.posix.join(home, ".config/containers/registries.conf.d");
  const useUser = f.exists(userFile);
  const confPath = useUser ? userFile : "/etc/containers/registries.conf";
  const dirs = useUser ? [userDir] : ["/etc/containers/registries.conf.d", userDir];
  const files: ConfigFileRead[] = [];

  const load = (p: string, forceV2: boolean): ContainersRegistry[] | null => {
    const data = f.read(p);
    if (data === null) {
      files.push({ path: p, state: "absent", error: null });
      return null;
    }
    if (data instanceof Error) {
      files.push({ path: p, state: "invalid", error: data.message });
      return null;
    }
    try {
      const regs = parseRegistriesConf(p, data, forceV2);
      files.push({ path: p, state: "read", error: null });
      return regs;
    } catch (e) {
      files.push({ path: p, state: "invalid", error: (e as Error).message });
      return null;
    }
  };
  let registries: ContainersRegistry[] = load(confPath, false) ?? [];
  for (const p of dirs.flatMap((d) => f.confs(d))) {
    const regs = load(p, true);
    if (!regs) continue;
    const map = new Map(registries.map((r) => [r.prefix, r]));
    for (const r of regs) map.set(r.prefix, r);
    registries = [...map.keys()].sort().map((k) => map.get(k)!);
  }
  // ConfigDirPath: the per-user directory whenever it is in use (the text of the "blocked" error).
  return { files, registries, confPath, dirPath: userDir };
}

/** The machine's configuration as `where` takes it. */
export async function whereHostConfig(o: WhereContextOptions): Promise<WhereHostConfig> {
  const sysroot = o.sysroot ? path.resolve(o.sysroot) : null;
  const env = o.env ?? process.env;
  const d = discoverHost({
    sysroot,
    docker: o.docker,
    containerdVersion: o.containerdVersion,
    env,
    ...(o.home ? { home: o.home } : {}),
  });
  const f = new Files(sysroot);
  const files: ConfigFileRead[] = [];
  const note = (p: string, c: { error: string | null } | null) =>
    files.push({ path: p, state: c ? (c.error ? "invalid" : "read") : "absent", error: c?.error ?? null });
  note("/etc/docker/daemon.json", d.daemonJson);
  note("/etc/containerd/config.toml", d.containerdConfig);
  // The user containers/image runs as: the caller's home (as `where` has always taken it), else root's.
  const home = o.home ?? (sysroot ? "/root" : (env.HOME ?? homedir()));
  const podman = containersRegistries(f, home);
  files.push(...podman.files);

  const resolved: Record<string, ResolvedName> = {};
  // The mirrors daemon.json and registries.conf name too: dockerd gates each mirror like a registry.
  const mirrorHosts = [
    ...(d.daemonJson?.mirrors ?? []),
    ...podman.registries.flatMap((r) => r.mirrors.map((m) => m.location.split("/")[0]!)),
  ];
  const names = [...new Set([...o.hosts, ...mirrorHosts].map((h) => hostPart(h)).filter((h) => h && !isIPLiteral(h)))];
  // Go's resolver reads /etc/hosts first (nsswitch "files"); it is the sysroot's under --sysroot.
  const hosts = f.read("/etc/hosts");
  // Listed when there is one: without it the names are simply not known (the `resolved` entries say so).
  if (hosts instanceof Buffer) files.push({ path: "/etc/hosts", state: "read", error: null });
  Object.assign(resolved, await resolveAll(names, sysroot, o.lookup ?? (sysroot ? undefined : lookupName)));

  const release = containerdRelease(o.containerdVersion);
  const present = d.containerdConfig !== null || f.exists("/etc/containerd");
  const criDisabled = d.containerdConfig?.criDisabled === true;
  return {
    source: sysroot ? "sysroot" : "host",
    files,
    dockerInsecure: (() => {
      const s = splitInsecure(d.daemonJson?.error ? [] : (d.daemonJson?.insecureRegistries ?? []));
      return { names: s.names, cidrs: s.cidrs };
    })(),
    dockerMirrors: d.daemonJson?.error ? [] : (d.daemonJson?.mirrors ?? []),
    dockerStore: d.dockerStore,
    resolved,
    containerd: {
      present,
      configPath: criDisabled ? null : d.criConfigPath.value,
      source: d.criConfigPath.source,
      criDisabled,
      // CRI pulls through the transfer service from v2.1 unless use_local_image_pull (discover.ts does the same).
      transfer: /^2\.(1|[2-9])/.test(release.version) && d.containerdConfig?.localPull !== true,
    },
    registries: podman.registries,
    registriesConfPath: podman.confPath,
    registriesConfDirPath: podman.dirPath,
    podmanHome: home,
    discovered: {
      snapRoot: d.unread.find((u) => u.path === DOCKER_ROOT && u.meant.includes("/snap/"))?.meant ?? null,
      rootless: d.settings.roots.filter((r) => r.id === "docker-rootless" && r.exists).map((r) => r.path),
      kube: d.settings.roots
        .filter((r) => ["k3s", "rke2", "microk8s"].includes(r.id) && r.exists)
        .map((r) => ({ id: r.id, path: r.path })),
    },
  };
}
