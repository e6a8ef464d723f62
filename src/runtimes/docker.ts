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
import { containerdOnlyName, hostPart } from "./host-names.js";
import { ipInCidr, isIPLiteral } from "./ip.js";
import { type NotReadCause, notRead, type RuntimeOutcome } from "./types.js";

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

/** Why dockerd's classic path skips a host directory (structured, for rules; `reason` is the sentence shown). */
export interface DockerSkip extends NotReadCause {
  reason: string;
}

/**
 * Why dockerd never reads this host directory, or null when it does. moby/moby registry/config.go isSecureIndex
 * (v20.10 and daemon/pkg/registry/config.go @ b985e2313a alike): a name listed exactly in insecure-registries
 * first; then every address the host part resolves to (net.LookupIP; an IP literal stands for itself) against the
 * insecure CIDRs, which always include 127.0.0.0/8 and, from v28, ::1/128 (LoadInsecureRegistries). A name that
 * does not resolve is secure. `engine.addresses` holds what the host layer resolved (src/host/resolve.ts); without
 * an entry only literals and `localhost` are judged.
 */
export function dockerSkip(dirName: string, engine: DockerEngine, via?: string): DockerSkip | null {
  if (dirName === "docker.io" || dirName === "index.docker.io") {
    return {
      kind: "docker-hub",
      reason:
        "Docker Hub: dockerd builds Hub's TLS settings without consulting certs.d (only registry mirrors have their own directories)",
      entry: null,
      address: null,
    };
  }
  const containerdName = containerdOnlyName(dirName);
  if (containerdName)
    return {
      kind: "containerd-name",
      reason: `no image reference names "${dirName}": ${containerdName}, which classic Docker never looks for`,
      entry: null,
      address: null,
    };
  const h = hostPart(dirName);
  const insecure = engine.insecureRegistries;
  if (insecure?.names.includes(dirName))
    return {
      kind: "insecure-name",
      reason: `${dirName} is in daemon.json insecure-registries: dockerd skips certs.d for it, adds no CA and sends no client certificate`,
      entry: dirName,
      address: null,
    };
  const literal = isIPLiteral(h);
  const resolved = literal ? [h] : (engine.addresses?.[h.toLowerCase()] ?? null);
  const said = (a: string) => (literal ? `${h} is` : `${h} resolves to ${a}${via ? ` (${via})` : ""},`);
  // Loopback: localhost (resolved or not), or an address in 127.0.0.0/8 (or ::1 from v28).
  if (h.toLowerCase() === "localhost" && !resolved?.length)
    return {
      kind: "loopback",
      reason: `${h} is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate`,
      entry: "127.0.0.0/8",
      address: null,
    };
  for (const a of resolved ?? []) {
    if (ipInCidr(a, "127.0.0.0/8"))
      return {
        kind: "loopback",
        reason: `${said(a)} in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate`,
        entry: "127.0.0.0/8",
        address: literal ? null : a,
      };
    if (engine.ipv6LoopbackInsecure && ipInCidr(a, "::1/128"))
      return {
        kind: "loopback",
        reason: literal
          ? `${h} is ::1, which dockerd (v28 and later) always treats as an insecure registry: it skips certs.d for it`
          : `${h} resolves to ::1${via ? ` (${via})` : ""}, which dockerd (v28 and later) always treats as an insecure registry: it skips certs.d for it`,
        entry: "::1/128",
        address: literal ? null : a,
      };
  }
  for (const a of resolved ?? []) {
    const cidr = insecure?.cidrs.find((c) => ipInCidr(a, c));
    if (cidr)
      return {
        kind: "insecure-cidr",
        reason: `${said(a)} in ${cidr}, listed in daemon.json insecure-registries: dockerd skips certs.d for it and sends no client certificate`,
        entry: cidr,
        address: literal ? null : a,
      };
  }
  return null;
}

/** Why dockerd never reads this host directory, or null when it does. */
export function dockerNotReadReason(dirName: string, engine: DockerEngine): string | null {
  return dockerSkip(dirName, engine)?.reason ?? null;
}

/** The classic loader alone (no insecure-registry gate): what goloader -flavour docker reports. */
export function dockerClassicLoad(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  return classicLoad(hm, dockerFlavour(engine));
}

/** dockerd's classic path: the insecure-registry gate, then the loader. */
export function dockerOutcome(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  const loaded = dockerClassicLoad(hm, engine);
  const skip = dockerSkip(hm.host.name, engine);
  if (!skip) return loaded;
  const { reason, ...cause } = skip;
  return notRead(loaded, reason, cause);
}
