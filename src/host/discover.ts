/**
 * Host discovery (`certsd-lint` with no path, `--host`, `--sysroot DIR`): every certs root that exists among the
 * known ones (runtimes/roots.ts), the roots containerd's config.toml names, the daemons' configuration files, and
 * the roots nobody reads. Under a sysroot every path is looked up inside it (scan/confine.ts): `~` is each of
 * DIR/root and DIR/home/*, and $XDG_CONFIG_HOME is `~/.config` (the environment of this machine is not the imaged
 * one's). What it finds goes into the run's settings (HostSettings), never to rules as files to re-read.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { containerdRelease } from "../runtimes/containerd-release.js";
import type { DockerEngine } from "../runtimes/docker-engine.js";
import { CONTAINERD_ROOT, DOCKER_ROOT, type HostRoot, type HostSettings, KNOWN_ROOTS } from "../runtimes/roots.js";
import type { RuntimeId } from "../runtimes/types.js";
import { linkLeaves, machinePath, resolveInside } from "../scan/confine.js";
import { readersOf } from "./access.js";
import { liveRestarts } from "./reload.js";
import {
  type ContainerdConfig,
  type DaemonJson,
  readContainerdConfig,
  readDaemonJson,
  readRegistriesConf,
  type RegistriesConf,
  splitInsecure,
} from "./config-files.js";
import { discoverRancher, type RancherNode } from "./rancher.js";
import { discoverEngines } from "./engine-context.js";

export interface DiscoverOptions {
  /** --sysroot: the imaged machine's `/`; null for this machine. */
  sysroot: string | null;
  /** This machine's environment and home (ignored under a sysroot). */
  env?: NodeJS.ProcessEnv;
  home?: string;
  docker: DockerEngine;
  containerdVersion: string;
  /** Where proc(5) is (live host only): the running daemons' start times. Default /proc. */
  procRoot?: string;
}

/** A root that exists but that no runtime on this host reads. */
export interface UnreadRoot {
  path: string;
  realPath: string;
  /** Why nobody reads it, and where the files belong. */
  reason: string;
  /** The root they were probably meant for. */
  meant: string;
  /** The runtimes that would read it in the right place (what it is linted for). */
  runtimes: readonly RuntimeId[];
}

/** A symbolic link on the way to a root that, followed literally, leaves the sysroot. */
export interface Escape {
  path: string;
  target: string;
}

export type DockerStore = "classic" | "containerd";

export interface HostDiscovery {
  sysroot: string | null;
  settings: HostSettings;
  daemonJson: DaemonJson | null;
  containerdConfig: ContainerdConfig | null;
  registriesConf: RegistriesConf[];
  /** Which image store `docker pull` uses (loader-semantics §4), and why. */
  dockerStore: { store: DockerStore; reason: string };
  /** containerd CRI's effective config_path, and whether the transfer service splits it (containerd#12808). */
  criConfigPath: { value: string | null; source: string; transferIgnoresList: boolean };
  unread: UnreadRoot[];
  escapes: Escape[];
  /** k3s and RKE2: registries.yaml and what the next agent start does to the generated tree. */
  rancher: RancherNode[];
}

/** The graph drivers whose state under /var/lib/docker keeps a v29 host on the classic store (HasPriorDriver). */
const GRAPH_DRIVERS = ["overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs", "aufs", "devicemapper", "overlay"];

/** Typos and look-alikes of certs.d beside a known root (field-failures R02, C08-C10). */
const LOOK_ALIKES = ["cert.d", "certs", "certificates.d", "certs.d.bak", "cert"];

export class Machine {
  constructor(readonly sysroot: string | null) {}

  real(p: string): string | null {
    try {
      return this.sysroot ? resolveInside(this.sysroot, p) : path.resolve(p);
    } catch {
      return null;
    }
  }

  isDir(p: string): string | null {
    const r = this.real(p);
    if (r === null) return null;
    try {
      return statSync(r).isDirectory() ? r : null;
    } catch {
      return null;
    }
  }

  read(p: string): Buffer | null {
    const r = this.real(p);
    if (r === null) return null;
    try {
      return statSync(r).isFile() ? readFileSync(r) : null;
    } catch {
      return null;
    }
  }

  list(p: string): string[] {
    const r = this.isDir(p);
    if (!r) return [];
    try {
      return readdirSync(r).sort();
    } catch {
      return [];
    }
  }

  /** The links on the way to p that leave the sysroot when followed literally. */
  escapes(p: string): Escape[] {
    if (!this.sysroot) return [];
    const out: Escape[] = [];
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const machine = `/${parts.slice(0, i).join("/")}`;
      const lexical = path.join(this.sysroot, ...parts.slice(0, i));
      try {
        if (!lstatSync(lexical).isSymbolicLink()) continue;
        const target = readlinkSync(lexical);
        if (linkLeaves(this.sysroot, path.dirname(lexical), target)) out.push({ path: machine, target });
      } catch {
        return out;
      }
    }
    return out;
  }
}

/** Listing and existence of already looked-up (real) paths. */
function listReal(p: string): string[] {
  try {
    return readdirSync(p).sort();
  } catch {
    return [];
  }
}

function isDirReal(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function existsReal(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function homes(m: Machine, o: DiscoverOptions): { home: string; xdg: string }[] {
  if (!m.sysroot) {
    const env = o.env ?? process.env;
    const home = o.home ?? env.HOME ?? homedir();
    return [{ home, xdg: env.XDG_CONFIG_HOME || path.join(home, ".config") }];
  }
  const list = ["/root", ...m.list("/home").map((u) => `/home/${u}`)];
  return list.filter((h) => m.isDir(h)).map((home) => ({ home, xdg: path.join(home, ".config") }));
}

function dockerStoreOf(m: Machine, d: DaemonJson | null, engine: DockerEngine): HostDiscovery["dockerStore"] {
  const major = Number(/^v?(\d+)/.exec(engine.version)?.[1] ?? 0);
  if (d?.containerdSnapshotter === true)
    return { store: "containerd", reason: "daemon.json features.containerd-snapshotter is true" };
  if (d?.containerdSnapshotter === false)
    return { store: "classic", reason: "daemon.json features.containerd-snapshotter is false" };
  if (major < 29) return { store: "classic", reason: `Docker ${engine.version}: the graphdriver store is the default` };
  const prior = GRAPH_DRIVERS.find((g) => m.isDir(`/var/lib/docker/${g}`));
  if (prior)
    return {
      store: "classic",
      reason: `Docker 29 keeps the graphdriver store: /var/lib/docker/${prior} holds earlier state (HasPriorDriver)`,
    };
  return { store: "containerd", reason: "Docker 29's default on Linux for a fresh install (image_store_choice.go)" };
}

export function discoverHost(o: DiscoverOptions): HostDiscovery {
  const sysroot = o.sysroot ? path.resolve(o.sysroot) : null;
  const m = new Machine(sysroot);
  const users = homes(m, o);

  const dBytes = m.read("/etc/docker/daemon.json");
  const daemonJson = dBytes ? readDaemonJson("/etc/docker/daemon.json", dBytes, o.docker.version) : null;
  const cBytes = m.read("/etc/containerd/config.toml");
  const containerdConfig = cBytes ? readContainerdConfig("/etc/containerd/config.toml", cBytes) : null;
  const registriesConf: RegistriesConf[] = [];
  const rc = m.read("/etc/containers/registries.conf");
  if (rc) registriesConf.push(readRegistriesConf("/etc/containers/registries.conf", rc));
  for (const f of m.list("/etc/containers/registries.conf.d").filter((n) => n.endsWith(".conf"))) {
    const p = `/etc/containers/registries.conf.d/${f}`;
    const b = m.read(p);
    if (b) registriesConf.push(readRegistriesConf(p, b));
  }

  // containerd CRI's config_path: as configured, else v2.2's default list when no mirrors are set.
  const release = containerdRelease(o.containerdVersion);
  // containerd's CRI is there when containerd is configured and the cri plugin is not disabled (docker-ce's
  // containerd.io package ships `disabled_plugins = ["cri"]`).
  const containerdPresent = containerdConfig !== null || m.isDir("/etc/containerd") !== null;
  const criDisabled = containerdConfig?.criDisabled === true;
  let criConfigPath: HostDiscovery["criConfigPath"];
  if (containerdConfig?.configPath != null)
    criConfigPath = {
      value: containerdConfig.configPath,
      source: `${containerdConfig.path} [${containerdConfig.section}]`,
      transferIgnoresList: false,
    };
  else if (!containerdPresent)
    criConfigPath = { value: null, source: "no containerd configuration on this host", transferIgnoresList: false };
  else if (criDisabled)
    criConfigPath = {
      value: null,
      source: `${containerdConfig.path} disables the CRI plugin`,
      transferIgnoresList: false,
    };
  else if (release.features.referrers && !containerdConfig?.legacyMirrors)
    criConfigPath = {
      value: `${CONTAINERD_ROOT}:${DOCKER_ROOT}`,
      source: `containerd ${release.version}'s default`,
      transferIgnoresList: false,
    };
  else
    criConfigPath = {
      value: null,
      source: `containerd ${release.version}: no config_path`,
      transferIgnoresList: false,
    };
  // CRI pulls through the transfer service (v2.1+, unless use_local_image_pull) take the list as one directory.
  const transfer = /^2\.(1|[2-9])/.test(release.version) && containerdConfig?.localPull !== true;
  criConfigPath.transferIgnoresList = transfer && (criConfigPath.value ?? "").includes(":");
  const configRoots = (criConfigPath.value ?? "").split(":").filter(Boolean);

  const roots: HostRoot[] = [];
  const seen = new Set<string>();
  const add = (id: string, p: string, reader: string, runtimes: readonly RuntimeId[]) => {
    const same = roots.findIndex((r) => r.path === p);
    if (same >= 0) {
      const r = roots[same]!;
      if (!runtimes.every((x) => r.runtimes.includes(x)))
        roots[same] = { ...r, reader: `${r.reader}; ${reader}`, runtimes: [...new Set([...r.runtimes, ...runtimes])] };
      return;
    }
    if (seen.has(`${id} ${p}`)) return;
    seen.add(`${id} ${p}`);
    const real = m.isDir(p);
    roots.push({
      id,
      path: p,
      realPath: real ?? (sysroot ? path.join(sysroot, p) : p),
      exists: real !== null,
      reader,
      runtimes,
    });
  };
  for (const k of KNOWN_ROOTS) {
    if (k.base === "/") add(k.id, k.path, k.reader, k.runtimes);
    else if (users.length === 0)
      roots.push({
        id: k.id,
        path: `${k.base === "home" ? "~" : "~/.config"}/${k.path}`,
        realPath: "",
        exists: false,
        reader: `${k.reader}; no home directory${sysroot ? " (DIR/root, DIR/home/*)" : ""}`,
        runtimes: k.runtimes,
      });
    else for (const u of users) add(k.id, path.join(k.base === "home" ? u.home : u.xdg, k.path), k.reader, k.runtimes);
  }
  for (const p of configRoots)
    add("config_path", p, `containerd CRI (config_path from ${criConfigPath.source})`, ["containerd"]);

  // Look-alikes beside every known root's parent.
  const unread: UnreadRoot[] = [];
  const parents = new Map<string, HostRoot>();
  for (const r of roots) if (!parents.has(path.dirname(r.path))) parents.set(path.dirname(r.path), r);
  for (const [parent, meant] of parents) {
    for (const name of LOOK_ALIKES) {
      const p = path.join(parent, name);
      const real = m.isDir(p);
      if (real)
        unread.push({
          path: p,
          realPath: real,
          reason: `the runtimes read ${path.basename(meant.path)}, and this directory is named ${name}`,
          meant: meant.path,
          runtimes: meant.runtimes,
        });
    }
  }
  // The right name in the wrong place for the installed flavour.
  const snap = m.isDir("/var/snap/docker") !== null;
  const dockerRoot = roots.find((r) => r.id === "docker")!;
  if (snap && dockerRoot.exists && !m.isDir("/usr/bin/dockerd") && !m.read("/usr/bin/dockerd"))
    unread.push({
      path: DOCKER_ROOT,
      realPath: dockerRoot.realPath,
      reason: `the docker snap's dockerd reads /var/snap/docker/current/etc/docker/certs.d, not ${DOCKER_ROOT}`,
      meant: "/var/snap/docker/current/etc/docker/certs.d",
      runtimes: ["docker", "docker-containerd"],
    });
  const ctrdRoot = roots.find((r) => r.id === "containerd")!;
  const kube = ["k3s", "rke2", "microk8s"].filter((id) => roots.find((r) => r.id === id)?.exists);
  if (ctrdRoot.exists && !configRoots.includes(CONTAINERD_ROOT) && kube.length)
    unread.push({
      path: CONTAINERD_ROOT,
      realPath: ctrdRoot.realPath,
      reason: `this node runs ${kube.join(", ")}, whose containerd reads its own root, not ${CONTAINERD_ROOT}`,
      meant: roots.find((r) => r.id === kube[0])!.path,
      runtimes: ["containerd"],
    });

  const shown = (real: string) => (sysroot ? machinePath(sysroot, real) : real);
  const escapeMap: Record<string, Escape[]> = {};
  for (const r of roots.filter((x) => x.exists)) {
    const e = m.escapes(r.path);
    if (e.length) escapeMap[r.realPath] = e;
  }
  const escapes = Object.values(escapeMap).flat();

  // containerd's hostDirFromRoots: the first root yielding host_port_, host or _default wins.
  const ctrdReal = configRoots.map((p) => m.isDir(p)).filter((r): r is string => r !== null);
  const containerdShadowed: Record<string, string> = {};
  ctrdReal.forEach((root, i) => {
    for (const name of listReal(root)) {
      if (name === "_default") continue;
      const port = /^(.*):(\d+)$/.exec(name);
      const candidates = [...(port ? [`${port[1]}_${port[2]}_`] : []), name, "_default"];
      for (const earlier of ctrdReal.slice(0, i)) {
        const hit = candidates.find((c) => isDirReal(path.join(earlier, c)));
        if (hit) {
          containerdShadowed[path.join(root, name)] = shown(path.join(earlier, hit));
          break;
        }
      }
    }
  });

  const insecure = splitInsecure(daemonJson?.insecureRegistries ?? []);
  const podmanRoots = [
    ...users.map((u) => path.join(u.home, ".config/containers/certs.d")).slice(0, 1),
    "/etc/containers/certs.d",
    DOCKER_ROOT,
  ].map((p) => m.real(p) ?? (sysroot ? path.join(sysroot, p) : p));
  // containers/image's dockerCertDir: the first existing <root>/<host> wins, with no merging.
  const podmanShadowed: Record<string, { winner: string; empty: boolean; notDirectory: boolean }> = {};
  podmanRoots.forEach((root, i) => {
    for (const name of listReal(root)) {
      const winner = podmanRoots.slice(0, i).find((earlier) => existsReal(path.join(earlier, name)));
      if (winner)
        podmanShadowed[path.join(root, name)] = {
          winner: shown(path.join(winner, name)),
          // A file there stops containers/image at os.ReadDir (readdirent … not a directory), before any loading.
          notDirectory: !isDirReal(path.join(winner, name)),
          // Nothing containers/image loads: no .crt, .cert or .key (other files are ignored).
          empty: !listReal(path.join(winner, name)).some((n) => /\.(crt|cert|key)$/.test(n)),
        };
    }
  });
  const rancher = discoverRancher(m);
  const unreadPaths = new Set(unread.map((u) => u.path));
  const settings: HostSettings = {
    roots: [
      ...roots.map((r) => (unreadPaths.has(r.path) ? { ...r, exists: false } : r)),
      ...unread.map((u) => ({
        id: "unread",
        path: u.path,
        realPath: u.realPath,
        exists: true,
        reader: `nobody (${u.reason})`,
        runtimes: u.runtimes,
      })),
    ],
    dockerInsecure: insecure,
    dockerMirrors: daemonJson?.mirrors ?? [],
    podmanRoots,
    podmanInsecure: registriesConf.flatMap((r) => r.insecure),
    containerdRoots: ctrdReal,
    containerdTransferIgnoresList: criConfigPath.transferIgnoresList,
    containerdConfigVersion: containerdConfig ? containerdConfig.version : null,
    containerdShadowed,
    podmanShadowed,
    escapes: escapeMap,
    rancherTree: Object.assign({}, ...rancher.map((n) => n.fates)) as HostSettings["rancherTree"],
    // Live host only: configuration the running daemons have not read yet (src/host/reload.ts).
    ...(sysroot
      ? {}
      : {
          restarts: liveRestarts({
            ...(o.procRoot === undefined ? {} : { procRoot: o.procRoot }),
            containerdRoots: ctrdReal,
            dockerRoot: DOCKER_ROOT,
            imageStoreKey: daemonJson?.containerdSnapshotter != null,
            homes: users.map((u) => u.home),
          }),
        }),
    readers: readersOf(m.sysroot, roots, users),
    engine: discoverEngines(m, { homes: users, env: sysroot ? null : (o.env ?? process.env) }),
  };
  return {
    sysroot,
    settings,
    daemonJson,
    containerdConfig,
    registriesConf,
    dockerStore: dockerStoreOf(m, daemonJson, o.docker),
    criConfigPath,
    unread,
    escapes,
    rancher,
  };
}

/** The roots to lint: every existing root (the unread ones too), by real path, once. */
export function rootsToLint(d: HostDiscovery): string[] {
  return [...new Set(d.settings.roots.filter((r) => r.exists).map((r) => r.realPath))];
}
