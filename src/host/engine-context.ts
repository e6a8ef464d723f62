/**
 * Which engine the docker CLI talks to, and which buildx builders build (field-failures R03 wrong-machine, R19
 * buildkit-isolation). Read from each user's docker configuration directory, inside the sysroot when one is given,
 * and on this machine also from the environment (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, BUILDX_CONFIG).
 *
 * The docker CLI, at docker/cli @ 28f756087eea (v29.7):
 * - cli/command/cli.go resolveContextName: `--context`, then `-H`, then DOCKER_HOST (the "default" context), then
 *   DOCKER_CONTEXT, then config.json `currentContext`, else "default"; getDockerEndPoint: "default" is -H or
 *   DOCKER_HOST, else unix:///var/run/docker.sock (moby client DefaultDockerHost);
 * - cli/config/config.go Dir: $DOCKER_CONFIG, else ~/.docker; ContextStoreDir: <dir>/contexts;
 * - cli/context/store/store.go contextdirOf: a context's directory is the sha256 hex of its name, under
 *   contexts/meta/, holding meta.json (metadatastore.go getByID) with Endpoints.docker.Host (context/endpoint.go);
 *   a missing one is `context "<name>": context not found: open <path>: no such file or directory`, which
 *   cli.go initialize prints as `unable to resolve docker endpoint: …`.
 * docker/buildx @ 461836ba0fcb: util/confutil/config.go NewConfig ($BUILDX_CONFIG, else <docker config dir>/buildx);
 * store/store.go (instances/<name> JSON, the `current` file {Key, Name, Global}, defaults/<hash of key>);
 * store/nodegroup.go NodeGroup {Name, Driver, Nodes[] {Name, Endpoint, Files}} with Files the buildkitd.toml and
 * certificates `docker buildx create --config` copied (Go []byte: base64 in JSON).
 */
import { isLoopbackHost } from "../runtimes/host-names.js";
import { createHash } from "node:crypto";
import path from "node:path";
import { goTomlParse } from "../material/go-toml.js";
import type {
  BuildxBuilder,
  DockerEngineContext,
  EngineKind,
  EngineSettings,
  PodmanEngineContext,
} from "../runtimes/engines.js";
import { parseBuildkitdToml } from "./buildkitd-config.js";
import { goJsonSyntaxError } from "./go-json.js";

/** What engine discovery needs of the machine (discover.ts's Machine: inside the sysroot when there is one). */
export interface MachineView {
  readonly sysroot: string | null;
  read(p: string): Buffer | null;
  list(p: string): string[];
  isDir(p: string): string | null;
}

export interface EngineOptions {
  /** The users' homes as the machine sees them (discover.ts homes()). */
  homes: ReadonlyArray<{ home: string; xdg: string }>;
  /** This machine's environment; null under a sysroot (the imaged machine's is not known). */
  env: NodeJS.ProcessEnv | null;
}

const DEFAULT_HOST = "unix:///var/run/docker.sock";

function json(b: Buffer | null): { value: unknown } | { error: string } | null {
  if (!b) return null;
  const syntax = goJsonSyntaxError(b);
  if (syntax) return { error: syntax };
  try {
    return { value: JSON.parse(b.toString("utf8")) as unknown };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

const isLoopback = (h: string) => isLoopbackHost(h.toLowerCase().replace(/^\[(.*)\]$/, "$1"));

/** Where an endpoint is, by its address (and, for Desktop, its context's name). */
export function placeEngine(
  host: string,
  context: string,
  u: { home: string; xdg: string },
  runtimeDir: string | null,
): { kind: EngineKind; reason: string; machine?: string } {
  if (context === "desktop-linux")
    return { kind: "desktop", reason: "Docker Desktop's context: the engine runs in Desktop's VM" };
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(host)?.[1]?.toLowerCase() ?? "tcp";
  const rest = host.replace(/^[a-z0-9+.-]+:\/\//i, "");
  if (scheme === "unix") {
    const p = rest;
    if (p === "/var/run/docker.sock" || p === "/run/docker.sock")
      return { kind: "local", reason: "the rootful dockerd's socket on this machine" };
    if (/^\/run\/user\/\d+\/docker\.sock$/.test(p) || (runtimeDir && p === path.join(runtimeDir, "docker.sock")))
      return { kind: "rootless", reason: "a rootless dockerd's socket ($XDG_RUNTIME_DIR/docker.sock)" };
    if (p.startsWith(`${u.home}/.docker/desktop/`) || p.startsWith(`${u.home}/.docker/run/`))
      return { kind: "desktop", reason: "Docker Desktop's socket: the engine runs in Desktop's VM" };
    // podman machine's API socket: $XDG_RUNTIME_DIR/podman/<machine>-api.sock (macOS: in $TMPDIR/podman/), or the
    // older ~/.local/share/containers/podman/machine/<machine>/podman.sock.
    const machine =
      /\/(podman-machine-[^/]*?)(?:-api)?\.sock$/.exec(p)?.[1] ??
      /\/podman\/machine\/(?:[^/]+\/)*?([^/]+)\/podman\.sock$/.exec(p)?.[1];
    if (machine || /\/podman\/machine\//.test(p))
      return {
        kind: "podman-machine",
        reason: "a podman machine's API socket: the engine is podman in the machine's VM",
        ...(machine ? { machine } : {}),
      };
    return { kind: "unknown", reason: "a socket certsd-lint cannot place (a VM's forwarded socket, or a daemon here)" };
  }
  if (scheme === "npipe") {
    if (/dockerDesktop/i.test(rest))
      return { kind: "desktop", reason: "Docker Desktop's pipe: the engine runs in Desktop's VM" };
    return { kind: "unknown", reason: "a Windows named pipe" };
  }
  if (scheme === "tcp" || scheme === "ssh" || scheme === "http" || scheme === "https") {
    const name = endpointMachine(host);
    if (isLoopback(name))
      return { kind: "unknown", reason: "a port on this machine: a dockerd here, or a tunnel to another machine" };
    return { kind: "remote", reason: `another machine (${name}): its dockerd reads its own certs.d` };
  }
  return { kind: "unknown", reason: `a ${scheme}:// endpoint certsd-lint cannot place` };
}

/** The host part of an endpoint (tcp://10.0.0.5:2376 → 10.0.0.5, ssh://me@build → build). */
export function endpointMachine(host: string): string {
  const authority = host
    .replace(/^[a-z0-9+.-]+:\/\//i, "")
    .split("/")[0]!
    .replace(/^.*@/, "");
  return authority.startsWith("[") ? authority.slice(0, authority.indexOf("]") + 1) : authority.split(":")[0]!;
}

/** The docker CLI's engine for one user. */
function dockerContext(
  m: MachineView,
  u: { home: string; xdg: string },
  env: NodeJS.ProcessEnv | null,
): DockerEngineContext {
  const configDir = (env?.DOCKER_CONFIG || "") !== "" ? env!.DOCKER_CONFIG! : path.join(u.home, ".docker");
  const configFile = path.join(configDir, "config.json");
  const runtimeDir = env?.XDG_RUNTIME_DIR || null;
  const base = { home: u.home, configDir };
  const at = (context: string, contextSource: string, host: string | null, error: string | null) => {
    const placed = host ? placeEngine(host, context, u, runtimeDir) : null;
    return {
      ...base,
      context,
      contextSource,
      host,
      kind: placed?.kind ?? "unknown",
      reason: placed?.reason ?? "the context cannot be used",
      error,
      ...(placed?.machine ? { machine: placed.machine } : {}),
    } satisfies DockerEngineContext;
  };
  const dockerHost = env?.DOCKER_HOST ?? "";
  if (dockerHost.trim() !== "") {
    const h = dockerHost.trim();
    return at("default", "DOCKER_HOST", h.includes("://") ? h : `tcp://${h}`, null);
  }
  let name: string | null = null;
  let source = "";
  let configError: string | null = null;
  if ((env?.DOCKER_CONTEXT ?? "") !== "") {
    name = env!.DOCKER_CONTEXT!;
    source = "DOCKER_CONTEXT";
  } else {
    const cfg = json(m.read(configFile));
    if (cfg && "error" in cfg)
      // cli/config/config.go load + LoadDefaultConfigFile: a warning, and the CLI goes on with defaults.
      configError = `WARNING: Error parsing config file (${configFile}): ${cfg.error}`;
    else if (cfg) {
      const current = obj(cfg.value).currentContext;
      if (typeof current === "string" && current !== "") {
        name = current;
        source = `${configFile} currentContext`;
      }
    }
  }
  // cli/command/cli.go initialize: `unable to resolve docker endpoint: %w` around the store's error.
  const unresolved = (e: string) => `unable to resolve docker endpoint: ${e}`;
  if (name === null || name === "default")
    return at("default", name === "default" ? source : "no context chosen", DEFAULT_HOST, configError);
  const meta = path.join(configDir, "contexts", "meta", createHash("sha256").update(name).digest("hex"), "meta.json");
  const metaJson = json(m.read(meta));
  if (!metaJson)
    return at(
      name,
      source,
      null,
      unresolved(`context "${name}": context not found: open ${meta}: no such file or directory`),
    );
  if ("error" in metaJson)
    return at(name, source, null, unresolved(`context "${name}": parsing ${meta}: ${metaJson.error}`));
  const docker = obj(obj(obj(metaJson.value).Endpoints).docker);
  if (!("docker" in obj(obj(metaJson.value).Endpoints)))
    return at(name, source, null, unresolved("cannot find docker endpoint in context"));
  const host = typeof docker.Host === "string" && docker.Host !== "" ? docker.Host : DEFAULT_HOST;
  return at(name, source, host, null);
}

/** The builders of one user's buildx store, and which one is current. */
function builders(
  m: MachineView,
  u: { home: string },
  configDir: string,
  engineKey: string,
  env: NodeJS.ProcessEnv | null,
): BuildxBuilder[] {
  const dir = (env?.BUILDX_CONFIG ?? "") !== "" ? env!.BUILDX_CONFIG! : path.join(configDir, "buildx");
  const cur = json(m.read(path.join(dir, "current")));
  const c = cur && "value" in cur ? obj(cur.value) : {};
  let current: string | null = null;
  if (typeof c.Name === "string" && c.Name !== "" && (c.Global === true || c.Key === engineKey)) current = c.Name;
  if (current === null) {
    // store.go Current: else defaults/<first 20 hex of sha256(key)>.
    const d = m.read(path.join(dir, "defaults", createHash("sha256").update(engineKey).digest("hex").slice(0, 20)));
    if (d) current = d.toString("utf8");
  }
  const out: BuildxBuilder[] = [];
  for (const name of m.list(path.join(dir, "instances"))) {
    const file = path.join(dir, "instances", name);
    const parsed = json(m.read(file));
    if (!parsed) continue;
    const base = { home: u.home, file, name, current: name === current };
    if ("error" in parsed) {
      out.push({ ...base, driver: "", endpoints: [], config: null, error: parsed.error });
      continue;
    }
    const ng = obj(parsed.value);
    const nodes = Array.isArray(ng.Nodes) ? ng.Nodes.map(obj) : [];
    let config: BuildxBuilder["config"] = null;
    for (const n of nodes) {
      const toml = obj(n.Files)["buildkitd.toml"];
      if (typeof toml !== "string") continue;
      const t = parseBuildkitdToml(Buffer.from(toml, "base64"));
      config = { error: t.error, registries: t.registries };
      break;
    }
    out.push({
      ...base,
      name: typeof ng.Name === "string" && ng.Name !== "" ? ng.Name : name,
      driver: typeof ng.Driver === "string" ? ng.Driver : "",
      endpoints: nodes.map((n) => (typeof n.Endpoint === "string" ? n.Endpoint : "")).filter(Boolean),
      config,
      error: null,
    });
  }
  return out;
}

/**
 * The engine one user's podman talks to. containers/common @ f437c58aab67 (v0.64): pkg/config/connections.go
 * (connectionsConfigFile: $PODMAN_CONNECTIONS_CONF, else podman-connections.json beside the user's containers.conf,
 * i.e. $XDG_CONFIG_HOME/containers, else ~/.config/containers; GetConnection: the file's Connection.Default, else
 * containers.conf `active_service`; a name is looked up in the file, then in `service_destinations`, else
 * `connection %q not found`); pkg/config/new.go systemConfigs ($CONTAINERS_CONF alone, else
 * /usr/share/containers/containers.conf, /etc/containers/containers.conf and its .d, the rootless overrides for
 * a user other than root, then the user's file and its .d, each overriding the ones before). podman
 * cmd/podman/registry/remote.go IsRemote: CONTAINER_HOST or CONTAINER_CONNECTION set makes it remote.
 */
function podmanContext(
  m: MachineView,
  u: { home: string; xdg: string },
  env: NodeJS.ProcessEnv | null,
): PodmanEngineContext | null {
  const userConf = path.join(u.xdg, "containers", "containers.conf");
  const dotD = (d: string) =>
    m
      .list(d)
      .filter((n) => n.endsWith(".conf"))
      .map((n) => path.join(d, n));
  const confs =
    (env?.CONTAINERS_CONF ?? "") !== ""
      ? [env!.CONTAINERS_CONF!]
      : [
          "/usr/share/containers/containers.conf",
          "/etc/containers/containers.conf",
          ...dotD("/etc/containers/containers.conf.d"),
          ...(u.home !== "/root"
            ? ["/etc/containers/containers.rootless.conf", ...dotD("/etc/containers/containers.rootless.conf.d")]
            : []),
          userConf,
          ...dotD(`${userConf}.d`),
        ];
  const connFile =
    (env?.PODMAN_CONNECTIONS_CONF ?? "") !== ""
      ? env!.PODMAN_CONNECTIONS_CONF!
      : path.join(u.xdg, "containers", "podman-connections.json");
  const errors: string[] = [];
  let active: string | null = null;
  const destinations = new Map<string, { uri: string; isMachine: boolean; source: string }>();
  let any = false;
  for (const c of confs) {
    const b = m.read(c);
    if (!b) continue;
    any = true;
    const t = goTomlParse(b, 2);
    if (!t.ok) {
      errors.push(`decode configuration ${c}: ${t.error.text}`);
      continue;
    }
    const engine = obj(t.doc.engine);
    if (typeof engine.active_service === "string") active = engine.active_service;
    for (const [name, d] of Object.entries(obj(engine.service_destinations))) {
      const o = obj(d);
      if (typeof o.uri === "string")
        destinations.set(name, { uri: o.uri, isMachine: o.is_machine === true, source: c });
    }
  }
  const connJson = json(m.read(connFile));
  const connections = new Map<string, { uri: string; isMachine: boolean }>();
  let fileDefault = "";
  if (connJson) {
    any = true;
    if ("error" in connJson) errors.push(`read connections file: parse "${connFile}": ${connJson.error}`);
    else {
      const cc = obj(obj(connJson.value).Connection);
      if (typeof cc.Default === "string") fileDefault = cc.Default;
      for (const [name, d] of Object.entries(obj(cc.Connections))) {
        const o = obj(d);
        if (typeof o.URI === "string") connections.set(name, { uri: o.URI, isMachine: o.IsMachine === true });
      }
    }
  }
  const host = env?.CONTAINER_HOST ?? "";
  const named = env?.CONTAINER_CONNECTION ?? "";
  if (!any && host === "" && named === "" && m.sysroot) return null;
  const base = { home: u.home, error: errors[0] ?? null };
  if (host !== "")
    return {
      ...base,
      remote: true,
      source: "CONTAINER_HOST",
      connection: null,
      uri: host,
      isMachine: false,
      connectionSource: "CONTAINER_HOST",
    };
  const name = named !== "" ? named : fileDefault || active;
  const found = name ? connections.get(name) : undefined;
  const dest = name && !found ? destinations.get(name) : undefined;
  return {
    ...base,
    remote: named !== "",
    source: named !== "" ? "CONTAINER_CONNECTION" : null,
    connection: name || null,
    uri: found?.uri ?? dest?.uri ?? null,
    isMachine: found?.isMachine ?? dest?.isMachine ?? false,
    connectionSource: found ? connFile : (dest?.source ?? null),
    error: name && !found && !dest ? `connection "${name}" not found` : base.error,
  };
}

/**
 * Every user's docker CLI engine and buildx builders. On this machine: the current user, with the environment.
 * Under a sysroot: each home that has a docker configuration directory.
 */
export function discoverEngines(m: MachineView, o: EngineOptions): EngineSettings {
  const users = m.sysroot ? o.homes.filter((u) => m.isDir(path.join(u.home, ".docker"))) : o.homes.slice(0, 1);
  const docker: DockerEngineContext[] = [];
  const all: BuildxBuilder[] = [];
  for (const u of users) {
    const d = dockerContext(m, u, o.env);
    docker.push(d);
    // buildx's key for `current`: the context's name, or for "default" its docker host (dockerutil GetCurrentEndpoint).
    const key = d.context === "default" ? (d.host ?? "") : d.context;
    all.push(...builders(m, u, d.configDir, key, o.env));
  }
  const podman = (m.sysroot ? o.homes : o.homes.slice(0, 1))
    .map((u) => podmanContext(m, u, o.env))
    .filter((x): x is PodmanEngineContext => x !== null);
  return { docker, builders: all, podman };
}
