/**
 * The certs roots a machine may have, listed once: where each runtime flavour looks (loader-semantics §3.1 Docker,
 * §4 Docker's containerd store, §8.1 containers/image, §9.1 containerd; field-failures C11-C18 for rootless, snap,
 * Desktop and the Kubernetes distributions). `where` and host discovery (src/host/) both read this table.
 */
import type { TreeFate } from "./rancher-tree.js";
import type { EngineSettings } from "./engines.js";
import type { RuntimeId } from "./types.js";

export const DOCKER_ROOT = "/etc/docker/certs.d";
export const CONTAINERD_ROOT = "/etc/containerd/certs.d";
export const CONTAINERS_ROOT = "/etc/containers/certs.d";

/** Where a root's path starts: the file system's `/`, or a user's home (`~`), or `$XDG_CONFIG_HOME` (else `~/.config`). */
export type RootBase = "/" | "home" | "xdg-config";

export interface KnownRoot {
  /** Stable id, used in the report's context section. */
  id: string;
  base: RootBase;
  /** The path below its base (absolute for "/"). */
  path: string;
  /** Who reads it, in words. */
  reader: string;
  /** The runtimes certsd-lint checks a root here for. */
  runtimes: readonly RuntimeId[];
}

const DOCKER: readonly RuntimeId[] = ["docker", "docker-containerd"];

export const KNOWN_ROOTS: readonly KnownRoot[] = [
  {
    id: "docker",
    base: "/",
    path: DOCKER_ROOT,
    reader: "dockerd (classic and containerd store), podman's last fallback, nerdctl, containerd v2.2's default list",
    runtimes: ["docker", "docker-containerd", "podman"],
  },
  {
    id: "docker-rootless",
    base: "xdg-config",
    path: "docker/certs.d",
    reader: "rootless dockerd ($XDG_CONFIG_HOME/docker/certs.d, else ~/.config/docker/certs.d)",
    runtimes: DOCKER,
  },
  {
    id: "docker-desktop",
    base: "home",
    path: ".docker/certs.d",
    reader: "Docker Desktop, which copies it into its VM's /etc/docker/certs.d when it starts",
    runtimes: DOCKER,
  },
  {
    id: "docker-snap",
    base: "/",
    path: "/var/snap/docker/current/etc/docker/certs.d",
    reader: "the docker snap's dockerd ($SNAP_DATA/etc/docker/certs.d)",
    runtimes: DOCKER,
  },
  {
    id: "containers",
    base: "/",
    path: CONTAINERS_ROOT,
    reader: "containers/image: podman, skopeo, buildah, CRI-O",
    runtimes: ["podman"],
  },
  {
    id: "containers-user",
    base: "home",
    path: ".config/containers/certs.d",
    reader: "containers/image for this user (first in its search order; $HOME/.config, XDG_CONFIG_HOME ignored)",
    runtimes: ["podman"],
  },
  {
    id: "containerd",
    base: "/",
    path: CONTAINERD_ROOT,
    reader: "containerd CRI when config_path names it, nerdctl, ctr --hosts-dir",
    runtimes: ["containerd"],
  },
  {
    id: "k3s",
    base: "/",
    path: "/var/lib/rancher/k3s/agent/etc/containerd/certs.d",
    reader: "k3s's containerd (generated from /etc/rancher/k3s/registries.yaml)",
    runtimes: ["containerd"],
  },
  {
    id: "rke2",
    base: "/",
    path: "/var/lib/rancher/rke2/agent/etc/containerd/certs.d",
    reader: "RKE2's containerd (generated from /etc/rancher/rke2/registries.yaml)",
    runtimes: ["containerd"],
  },
  {
    id: "microk8s",
    base: "/",
    path: "/var/snap/microk8s/current/args/certs.d",
    reader: "microk8s's containerd",
    runtimes: ["containerd"],
  },
];

/** One root found (or looked for) on a machine, as host discovery reports it. */
export interface HostRoot {
  /** The KNOWN_ROOTS id, or "config_path" for a root named in containerd's config.toml. */
  id: string;
  /** The path as the machine sees it (`/etc/docker/certs.d`, `/home/ann/.docker/certs.d`). */
  path: string;
  /** Where it was looked up on this machine (inside the sysroot when one is given). */
  realPath: string;
  exists: boolean;
  reader: string;
  runtimes: readonly RuntimeId[];
}

/**
 * What the host's configuration files say, as the runtime models take it (filled by src/host/ from daemon.json,
 * containerd's config.toml and registries.conf; absent when linting paths as given).
 */
export interface HostSettings {
  /** Every root looked for, found or not. */
  roots: readonly HostRoot[];
  /** daemon.json insecure-registries: names (host[:port]) and CIDRs, as dockerd's loadInsecureRegistries splits them. */
  dockerInsecure: { names: readonly string[]; cidrs: readonly string[] };
  /** daemon.json registry-mirrors, as hosts (host[:port]). */
  dockerMirrors: readonly string[];
  /** containers/image's search roots in order, as the machine sees them (per-user first). */
  podmanRoots: readonly string[];
  /** Registries registries.conf marks insecure (verification skipped; files still loaded). */
  podmanInsecure: readonly string[];
  /** containerd CRI's config_path roots in order, as looked up on this host. */
  containerdRoots: readonly string[];
  /** containerd's config.toml `version` (null without one), for fixes that name its sections. */
  containerdConfigVersion?: number | null;
  /** config_path is a list and CRI pulls go through the transfer service, which takes it as one directory. */
  containerdTransferIgnoresList: boolean;
  /** A host directory (looked-up path) in a later config_path root → the earlier directory CRI reads instead. */
  containerdShadowed: Readonly<Record<string, string>>;
  /** A host directory (looked-up path) containers/image never reaches → the winner, and whether it is empty. */
  podmanShadowed: Readonly<Record<string, { winner: string; empty: boolean; notDirectory?: boolean }>>;
  /** Looked-up root path → symbolic links on the way to it that, followed literally, leave the sysroot. */
  escapes: Readonly<Record<string, ReadonlyArray<{ path: string; target: string }>>>;
  /**
   * What the registry names under the Docker roots resolve to (lower-case name → addresses; src/host/resolve.ts):
   * the sysroot's etc/hosts, or this machine's resolver. Names that did not resolve are absent.
   */
  addresses?: Readonly<Record<string, readonly string[]>>;
  /** k3s/RKE2: looked-up host directory path → what the next agent start does to it (src/host/rancher.ts). */
  rancherTree?: Readonly<Record<string, TreeFate>>;
  /** Live host only: configuration changed after the daemon that reads it started (src/host/reload.ts). */
  restarts?: readonly RestartNeeded[];
  /** Looked-up root path → the ordinary user whose daemon reads it (rootless dockerd, podman; src/host/access.ts). */
  readers?: Readonly<Record<string, RootReader>>;
  /** The engine each user's docker CLI talks to, and the buildx builders (src/host/engine-context.ts). */
  engine?: EngineSettings;
}

/** A configuration change a running daemon has not seen (its file is newer than the daemon's start). */
export interface RestartNeeded {
  daemon: "containerd" | "dockerd" | "docker-desktop";
  pid: number;
  /** ISO 8601 times. */
  startedAt: string;
  changedAt: string;
  /** The file changed (Docker Desktop: the root copied at start), as the machine sees it. */
  file: string;
  /** The roots (looked-up paths) whose verdicts take the change to be in effect. */
  roots: readonly string[];
  /** Docker Desktop: the host directories changed since it started. */
  hosts?: readonly string[];
  /** dockerd re-reads its registry settings on SIGHUP ("reload"); everything else takes a restart. */
  action: "restart" | "reload";
  /** What changed: the daemon's configuration (default), or the system CA bundle Go caches per process. */
  what?: "config" | "system-store";
}

/** The ordinary user a root's daemon runs as, and what on the way to the root that user cannot pass. */
export interface RootReader {
  /** rootless dockerd, rootless podman, … */
  daemon: string;
  user: string;
  uid: number;
  /** The user's groups (primary first). */
  gids: readonly number[];
  /** Subordinate ranges (/etc/subuid, /etc/subgid): files owned inside them are the user namespace's own. */
  subuids: ReadonlyArray<[number, number]>;
  subgids: ReadonlyArray<[number, number]>;
  /** Directories from the home down to the root that the user cannot search, as the machine sees them. */
  blocked: ReadonlyArray<{ path: string; mode: number; uid: number; gid: number }>;
}
