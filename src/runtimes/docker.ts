/**
 * Docker Engine's classic path (dockerd: pull, push, login, search; `docker login` on every version), loader-semantics
 * §3. Before loading, dockerd skips certs.d entirely for registries it considers insecure: Docker Hub (whose TLS
 * settings come from the system pool), any host in 127.0.0.0/8 (`localhost` included) and, from v28, ::1. Names only
 * containerd reads (`host_port_`, `_default`) are never asked for. Errors reach the CLI as
 * `Error response from daemon: <error>`.
 */
import type { HostMaterial } from "../material/host.js";
import { type ClassicFlavour, classicLoad } from "./classic-loader.js";
import { type DockerEngine, dockerEngine } from "./docker-engine.js";
import { containerdOnlyName, hostPart, isIPv4Loopback, isIPv6Loopback } from "./host-names.js";
import { notRead, type RuntimeOutcome } from "./types.js";

export function dockerFlavour(engine: DockerEngine): ClassicFlavour {
  return {
    runtime: "docker",
    reader: "dockerd",
    missingKey: engine.wording.missingKey,
    missingCertificate: engine.wording.missingCertificate,
    go: engine.go,
    skipMissingCrt: false,
    skipUnlistable: false,
    printed: (e) => `Error response from daemon: ${e}`,
  };
}

/** Why dockerd never reads this host directory, or null when it does. */
export function dockerNotReadReason(dirName: string, engine: DockerEngine): string | null {
  if (dirName === "docker.io" || dirName === "index.docker.io") {
    return "Docker Hub: dockerd builds Hub's TLS settings without consulting certs.d (only registry mirrors have their own directories)";
  }
  const containerdName = containerdOnlyName(dirName);
  if (containerdName)
    return `no image reference names "${dirName}": ${containerdName}, which classic Docker never looks for`;
  const h = hostPart(dirName);
  if (h.toLowerCase() === "localhost" || isIPv4Loopback(h)) {
    return `${h} is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate`;
  }
  if (engine.ipv6LoopbackInsecure && isIPv6Loopback(h)) {
    return `${h} is ::1, which dockerd (v28 and later) always treats as an insecure registry: it skips certs.d for it`;
  }
  return null;
}

/** The classic loader alone (no insecure-registry gate): what goloader -flavour docker reports. */
export function dockerClassicLoad(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  return classicLoad(hm, dockerFlavour(engine));
}

/** dockerd's classic path: the insecure-registry gate, then the loader. */
export function dockerOutcome(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  const loaded = dockerClassicLoad(hm, engine);
  const reason = dockerNotReadReason(hm.host.name, engine);
  return reason ? notRead(loaded, reason) : loaded;
}
