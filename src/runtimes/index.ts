/** The runtime models, by id, and which of them a certs root is checked for. */
import { homedir } from "node:os";
import { statSync } from "node:fs";
import path from "node:path";
import type { GoProfile } from "../material/go-profile.js";
import type { HostMaterial } from "../material/host.js";
import { containerdOutcome } from "./containerd.js";
import { type ContainerdRelease, containerdRelease } from "./containerd-release.js";
import { dockerOutcome } from "./docker.js";
import { dockerContainerdOutcome } from "./docker-containerd.js";
import { type DockerEngine, dockerEngine } from "./docker-engine.js";
import { DEFAULT_PODMAN_GO, podmanOutcome } from "./podman.js";
import { RUNTIME_IDS, type RuntimeId, type RuntimeOutcome } from "./types.js";

export interface RuntimeSettings {
  docker: DockerEngine;
  containerd: ContainerdRelease;
  podmanGo: GoProfile;
}

export function runtimeSettings(o: { dockerVersion?: string; containerdVersion?: string; podmanGo?: GoProfile } = {}): RuntimeSettings {
  return { docker: dockerEngine(o.dockerVersion), containerd: containerdRelease(o.containerdVersion), podmanGo: o.podmanGo ?? DEFAULT_PODMAN_GO };
}

/**
 * The runtimes that read a root, judged by where it lives (a copy in a repository counts by its trailing path):
 * /etc/docker/certs.d → dockerd (classic), Docker's containerd store and BuildKit, podman (its last fallback);
 * /etc/containerd/certs.d → containerd; /etc/containers/certs.d → podman; anything else → all four.
 */
export function runtimesForRoot(root: string): RuntimeId[] {
  const p = root.replace(/\/+$/, "");
  if (/(^|\/)(etc|\.config)\/docker\/certs\.d$/.test(p)) return ["docker", "docker-containerd", "podman"];
  if (/(^|\/)(etc|\.config)\/containerd\/certs\.d$/.test(p)) return ["containerd"];
  if (/(^|\/)(etc|\.config)\/containers\/certs\.d$/.test(p)) return ["podman"];
  return [...RUNTIME_IDS];
}

/** containers/image's search order for a host's directory (loader-semantics §8.1), per-user first. */
export function podmanSearchRoots(home: string = homedir()): string[] {
  return [path.join(home, ".config", "containers", "certs.d"), "/etc/containers/certs.d", "/etc/docker/certs.d"];
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

/** The Go build whose crypto a runtime's TLS handshakes use (Docker's containerd store runs inside dockerd). */
export function runtimeGo(id: RuntimeId, s: RuntimeSettings): GoProfile {
  switch (id) {
    case "docker":
    case "docker-containerd":
      return s.docker.go;
    case "containerd":
      return s.containerd.go;
    case "podman":
      return s.podmanGo;
  }
}

export function runtimeOutcome(id: RuntimeId, hm: HostMaterial, s: RuntimeSettings): RuntimeOutcome {
  switch (id) {
    case "docker":
      return dockerOutcome(hm, s.docker);
    case "docker-containerd":
      return dockerContainerdOutcome(hm, s.docker);
    case "containerd":
      return containerdOutcome(hm, s.containerd);
    case "podman":
      return podmanOutcome(hm, { go: s.podmanGo, shadowedBy: podmanShadow(hm.host.root, hm.host.name) });
  }
}
