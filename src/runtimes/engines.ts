/**
 * Which engine the client tools on a machine talk to, and the BuildKit builders they build with, as host discovery
 * (src/host/engine-context.ts) finds them: the data the wrong-machine (CD608) and buildx (CD609) rules read.
 * Field-failures R03 (C22-C29) and R19 (C125, C145, C147, C148).
 */

/**
 * What is behind the docker CLI's endpoint:
 * - local: this machine's rootful dockerd (unix:///var/run/docker.sock, /run/docker.sock);
 * - rootless: this machine's rootless dockerd ($XDG_RUNTIME_DIR/docker.sock), which reads only ~/.config/docker/certs.d;
 * - desktop: Docker Desktop's VM (desktop-linux context, ~/.docker/desktop/docker.sock, ~/.docker/run/docker.sock);
 * - podman-machine: a podman machine VM's API socket;
 * - remote: another machine (tcp:// to a non-loopback address, ssh://);
 * - unknown: a socket or a loopback port certsd-lint cannot place (a tunnel, colima, lima, ...).
 */
export type EngineKind = "local" | "rootless" | "desktop" | "podman-machine" | "remote" | "unknown";

/** The engine one user's docker CLI talks to (cli/command/cli.go resolveContextName, getDockerEndPoint). */
export interface DockerEngineContext {
  /** The user's home as the machine sees it (/home/ann, /root). */
  home: string;
  /** The docker CLI's configuration directory ($DOCKER_CONFIG, else ~/.docker). */
  configDir: string;
  /** The context in effect ("default" when DOCKER_HOST is set or nothing is chosen). */
  context: string;
  /** Where that choice came from, in words ("DOCKER_HOST", "/home/ann/.docker/config.json currentContext", …). */
  contextSource: string;
  /** The endpoint: Endpoints.docker.Host of the context, DOCKER_HOST, or unix:///var/run/docker.sock. */
  host: string | null;
  kind: EngineKind;
  /** Why certsd-lint places the engine so. */
  reason: string;
  /** The docker CLI's own error when the context cannot be used (missing or invalid meta.json), verbatim. */
  error: string | null;
  /** podman machine: the machine's name, from its socket (podman-machine-default). */
  machine?: string;
}

/** One `[registry."host"]` table of a buildkitd.toml (moby/buildkit util/resolver/config RegistryConfig). */
export interface BuildkitdRegistry {
  /** The table's key: buildkitd looks a registry up by this exact host[:port]. */
  host: string;
  /** `ca = [...]`. */
  ca: readonly string[];
  /** `[[registry."host".keypair]]` key/cert. */
  keypairs: ReadonlyArray<{ key: string; cert: string }>;
  /** `tlsconfigdir = [...]` (since BuildKit 0.7: each directory's *.crt as CAs, *.cert with its *.key as pairs). */
  tlsConfigDirs: readonly string[];
  insecure: boolean | null;
  http: boolean | null;
}

/** A buildx builder instance (docker/buildx store/nodegroup.go NodeGroup), as stored under ~/.docker/buildx/instances. */
export interface BuildxBuilder {
  home: string;
  /** The instance file. */
  file: string;
  name: string;
  driver: string;
  /** Nodes[].Endpoint: a docker context or host (docker-container), a buildkitd address (remote), a kube context. */
  endpoints: readonly string[];
  /** The builder `docker buildx build` uses (the `current` file, else the defaults entry). */
  current: boolean;
  /** The buildkitd.toml given at `docker buildx create --config`, as buildx stored it (Nodes[].Files). */
  config: { error: string | null; registries: readonly BuildkitdRegistry[] } | null;
  /** The instance file could not be read as buildx writes it. */
  error: string | null;
}

/**
 * The engine one user's podman talks to (containers/common pkg/config/connections.go GetConnection; podman's
 * registry.IsRemote): its own, local, unless CONTAINER_HOST or CONTAINER_CONNECTION (or --remote, podman-remote, or
 * macOS and Windows) send it to a connection: podman-connections.json `Connection.Default`, else containers.conf
 * `[engine] active_service`, looked up in the connections file, then in `[engine.service_destinations]`.
 */
export interface PodmanEngineContext {
  home: string;
  /** podman pull goes to a service elsewhere (only known on this machine, from the environment). */
  remote: boolean;
  /** Why: "CONTAINER_HOST", "CONTAINER_CONNECTION", or null (local). */
  source: string | null;
  /** The connection used when remote, or the default one `podman --remote` would use. */
  connection: string | null;
  uri: string | null;
  /** The connection is a podman machine (Destination.IsMachine). */
  isMachine: boolean;
  /** Where the connection was found (the connections file, a containers.conf). */
  connectionSource: string | null;
  /** containers/common's error when the connection cannot be found or a file cannot be read. */
  error: string | null;
}

/** What the engine rules read: every docker CLI configuration found, and every buildx builder. */
export interface EngineSettings {
  docker: readonly DockerEngineContext[];
  builders: readonly BuildxBuilder[];
  podman?: readonly PodmanEngineContext[];
}

/** Whether an engine of this kind reads the certs roots of this machine's rootful dockerd. */
export function readsLocalRoots(kind: EngineKind): boolean {
  return kind === "local" || kind === "unknown";
}

/** The buildx drivers whose BuildKit runs outside dockerd, hence never reads the engine's certs.d. */
export const ISOLATED_DRIVERS: readonly string[] = ["docker-container", "kubernetes", "remote"];
