/**
 * Docker's containerd image store (the default for new Linux installs from v29) and the BuildKit inside dockerd
 * (from v28): containerd's hostconfig rules applied to /etc/docker/certs.d (moby/moby daemon/hosts.go RegistryHosts
 * @ b985e2313a), so `hosts.toml` is honoured, `host_port_` and `_default` directories count, `docker.io` is read,
 * pairing is lenient and a CA file without a certificate is fatal. Insecure and loopback registries are still read.
 * Up to v27 BuildKit used its own loader, which certsd-lint does not model.
 *
 * The wrapping around the error is derived from the code path (the containerd client's fetch, then the daemon's
 * API error), not observed: dockerd 20.10 in the oracle has no containerd store.
 */
import type { HostMaterial } from "../material/host.js";
import { type DockerEngine, dockerEngine } from "./docker-engine.js";
import { hostconfigWithPrecedence } from "./hostconfig.js";
import { emptyOutcome, type RuntimeOutcome } from "./types.js";

export function dockerContainerdOutcome(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  const release = engine.containerd;
  if (!release) {
    return {
      ...emptyOutcome("docker-containerd"),
      status: "undetermined",
      reason:
        `Docker ${engine.version} predates v28: its BuildKit read certs.d with BuildKit's own loader, ` +
        `which certsd-lint does not model`,
    };
  }
  return hostconfigWithPrecedence(hm, {
    runtime: "docker-containerd",
    reader: "dockerd",
    release,
    go: engine.go,
    printed: (error, host) => `Error response from daemon: failed to resolve reference "${host}/<image>": ${error}`,
  });
}
