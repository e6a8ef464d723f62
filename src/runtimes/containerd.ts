/**
 * containerd itself: CRI (kubelet), ctr --hosts-dir, nerdctl. Reads `hosts.toml` and the Docker-style files with
 * containerd's rules (hostconfig.ts), in the root(s) it is configured for (`config_path`; /etc/containerd/certs.d by
 * convention). Errors surface from the client's fetch as `failed to resolve reference "<ref>": <error>` (ctr prefixes
 * `ctr: `).
 */
import type { HostMaterial } from "../material/host.js";
import { type ContainerdRelease, containerdRelease } from "./containerd-release.js";
import { hostconfigWithPrecedence } from "./hostconfig.js";
import type { RuntimeOutcome } from "./types.js";

export function containerdOutcome(hm: HostMaterial, release: ContainerdRelease = containerdRelease()): RuntimeOutcome {
  return hostconfigWithPrecedence(hm, {
    runtime: "containerd",
    reader: "the program resolving the image (containerd, ctr, nerdctl)",
    release,
    go: release.go,
    printed: (error, host) => `failed to resolve reference "${host}/<image>": ${error}`,
  });
}
