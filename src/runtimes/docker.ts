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
  // moby/moby daemon/pkg/registry/config.go isSecureIndex (@ b985e2313a): an entry named exactly in
  // insecure-registries first, then the CIDRs (loopback always among them).
  const insecure = engine.insecureRegistries;
  if (insecure?.names.includes(dirName))
    return `${dirName} is in daemon.json insecure-registries: dockerd skips certs.d for it, adds no CA and sends no client certificate`;
  if (h.toLowerCase() === "localhost" || isIPv4Loopback(h)) {
    return `${h} is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate`;
  }
  if (engine.ipv6LoopbackInsecure && isIPv6Loopback(h)) {
    return `${h} is ::1, which dockerd (v28 and later) always treats as an insecure registry: it skips certs.d for it`;
  }
  const cidr = insecure?.cidrs.find((c) => ipv4InCidr(h, c));
  if (cidr)
    return `${h} is in ${cidr}, listed in daemon.json insecure-registries: dockerd skips certs.d for it and sends no client certificate`;
  return null;
}

function ipv4(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** An IPv4 literal inside an IPv4 CIDR (netip.Prefix.Contains); names and IPv6 are not matched. */
export function ipv4InCidr(host: string, cidr: string): boolean {
  const [net, bits] = cidr.split("/");
  const a = ipv4(host);
  const n = ipv4(net ?? "");
  const b = Number(bits);
  if (a === null || n === null || !Number.isInteger(b) || b < 0 || b > 32) return false;
  const size = 2 ** (32 - b);
  return Math.floor(a / size) === Math.floor(n / size);
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
