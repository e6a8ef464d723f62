/**
 * The runtime registry: every real consumer of a certs.d tree that certsd-lint models, listed once. Every list of
 * runtimes (CLI choices, help text, configuration and report schema enums, column widths, family checks, which
 * roots a runtime reads, which Go build it verifies with) is read from this table. Adding a runtime means adding
 * its id to `RuntimeId`, a row here, and its model.
 */
import { statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import type { GoProfile } from "../material/go-profile.js";
import type { HostMaterial } from "../material/host.js";
import { containerdOutcome } from "./containerd.js";
import { type ContainerdRelease, containerdRelease, DEFAULT_CONTAINERD_VERSION } from "./containerd-release.js";
import { dockerOutcome } from "./docker.js";
import { dockerContainerdOutcome } from "./docker-containerd.js";
import { DEFAULT_DOCKER_VERSION, type DockerEngine, dockerEngine } from "./docker-engine.js";
import { type PodmanRelease, podmanOutcome, podmanRelease } from "./podman.js";
import { CONTAINERS_ROOT, DOCKER_ROOT, type HostSettings } from "./roots.js";
import type { RuntimeId, RuntimeOutcome } from "./types.js";

/** The releases every model follows, parsed once (from flags, configuration or defaults). */
export interface RuntimeSettings {
  docker: DockerEngine;
  containerd: ContainerdRelease;
  podman: PodmanRelease;
  /** What the host's configuration says (--host, --sysroot, or no path): roots, insecure registries, mirrors. */
  host?: HostSettings;
}

/** The releases given, the current ones for the rest. */
export function runtimeSettings(o: Partial<RuntimeSettings> = {}): RuntimeSettings {
  return {
    docker: o.docker ?? dockerEngine(DEFAULT_DOCKER_VERSION),
    containerd: o.containerd ?? containerdRelease(DEFAULT_CONTAINERD_VERSION),
    podman: o.podman ?? podmanRelease(),
    ...(o.host ? { host: o.host } : {}),
  };
}

/**
 * The two loader families: Docker's classic loader and its containers/image copy (`.crt`/`.cert`/`.key` only, strict
 * pairing), and containerd's hostconfig (`hosts.toml`, lenient pairing, fatal empty CA files).
 */
export type RuntimeFamily = "classic" | "containerd";

/** The conventional roots (as trailing paths): a root elsewhere, such as a copy in a repository, is read by all. */
type RootName = "docker" | "containerd" | "containers";

export interface RuntimeSpec {
  id: RuntimeId;
  /** The program's name in sentences ("Docker's containerd store fails …"). */
  name: string;
  /** What it is, for help texts and the README. */
  description: string;
  family: RuntimeFamily;
  /** The conventional certs roots it reads. */
  roots: readonly RootName[];
  /** The Go build whose crypto its TLS handshakes use. */
  go(s: RuntimeSettings): GoProfile;
  /** The model: what the program does with one host directory. Pure, given the material. */
  outcome(hm: HostMaterial, s: RuntimeSettings): RuntimeOutcome;
}

const SPECS: readonly RuntimeSpec[] = [
  {
    id: "docker",
    name: "Docker",
    description: "dockerd's classic loader: pull, push, login, search",
    family: "classic",
    roots: ["docker"],
    go: (s) => s.docker.go,
    outcome: (hm, s) => dockerOutcome(hm, s.docker),
  },
  {
    id: "docker-containerd",
    name: "Docker's containerd store",
    description: "Docker's containerd image store and dockerd's BuildKit",
    family: "containerd",
    roots: ["docker"],
    // It runs inside dockerd: dockerd's Go verifies the registry.
    go: (s) => s.docker.go,
    outcome: (hm, s) => dockerContainerdOutcome(hm, s.docker),
  },
  {
    id: "containerd",
    name: "containerd",
    description: "containerd CRI, nerdctl, ctr --hosts-dir",
    family: "containerd",
    roots: ["containerd"],
    go: (s) => s.containerd.go,
    outcome: (hm, s) => containerdOutcome(hm, s.containerd),
  },
  {
    id: "podman",
    name: "podman",
    description: "containers/image: podman, skopeo, buildah, CRI-O",
    family: "classic",
    // containers/image's search order ends with /etc/docker/certs.d.
    roots: ["containers", "docker"],
    go: (s) => s.podman.go,
    outcome: (hm, s) =>
      podmanOutcome(hm, {
        go: s.podman.go,
        shadowedBy: podmanShadow(hm.host.root, hm.host.name, s.host ? [...s.host.podmanRoots] : undefined),
      }),
  },
];

export const RUNTIMES: Readonly<Record<RuntimeId, RuntimeSpec>> = Object.fromEntries(
  SPECS.map((s) => [s.id, s]),
) as Record<RuntimeId, RuntimeSpec>;

/** Every runtime id, in the registry's order (the order of report columns and lists). */
export const RUNTIME_IDS: readonly RuntimeId[] = SPECS.map((s) => s.id);

export function isRuntimeId(id: string): id is RuntimeId {
  return (RUNTIME_IDS as readonly string[]).includes(id);
}

/** The runtimes of one loader family, in registry order. */
export function family(f: RuntimeFamily): readonly RuntimeId[] {
  return SPECS.filter((s) => s.family === f).map((s) => s.id);
}

/** The ids in registry order, whatever order they were given in. */
export function inRegistryOrder(ids: Iterable<RuntimeId>): RuntimeId[] {
  const set = new Set(ids);
  return RUNTIME_IDS.filter((r) => set.has(r));
}

const ROOT_PATTERN: Record<RootName, RegExp> = {
  docker: /(^|\/)(etc|\.config)\/docker\/certs\.d$/,
  containerd: /(^|\/)(etc|\.config)\/containerd\/certs\.d$/,
  containers: /(^|\/)(etc|\.config)\/containers\/certs\.d$/,
};

/**
 * The runtimes that read a root, judged by where it lives (a copy in a repository counts by its trailing path):
 * /etc/docker/certs.d → dockerd (classic), Docker's containerd store and BuildKit, podman (its last fallback);
 * /etc/containerd/certs.d → containerd; /etc/containers/certs.d → podman; anything else → all of them.
 * With a host's context (host discovery), a root it found is read by the runtimes discovery gave it (roots.ts:
 * rootless, Desktop, snap, k3s, microk8s, containerd's config_path), and a root nobody on that host reads by none.
 */
export function runtimesForRoot(root: string, host?: HostSettings): RuntimeId[] {
  const p = root.replace(/\/+$/, "");
  if (host) {
    const found = host.roots.filter((r) => r.exists && r.realPath === p);
    if (found.length) return inRegistryOrder(found.flatMap((r) => r.runtimes));
  }
  const name = (Object.keys(ROOT_PATTERN) as RootName[]).find((n) => ROOT_PATTERN[n].test(p));
  return name ? SPECS.filter((s) => s.roots.includes(name)).map((s) => s.id) : [...RUNTIME_IDS];
}

/** containers/image's search order for a host's directory (loader-semantics §8.1), per-user first. */
export function podmanSearchRoots(home: string = homedir()): string[] {
  return [path.join(home, ".config", "containers", "certs.d"), CONTAINERS_ROOT, DOCKER_ROOT];
}

/**
 * When `root` is one of containers/image's real search roots, the earlier root that has a directory for the same
 * host (and so wins), if any. Roots elsewhere (a copy in a repository) are judged on their own.
 */
export function podmanShadow(root: string, hostName: string, roots: string[] = podmanSearchRoots()): string | null {
  const i = roots.indexOf(path.resolve(root));
  for (const earlier of roots.slice(0, Math.max(i, 0))) {
    const candidate = path.join(earlier, hostName);
    try {
      statSync(candidate); // os.Stat: "not found" and "permission denied" move on; the first that exists wins
      return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}
