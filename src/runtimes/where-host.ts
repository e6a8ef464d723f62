/**
 * `certsd-lint where` with the machine's configuration read (--host, --sysroot; issue 13): daemon.json's
 * insecure-registries (names, CIDRs, names resolved into them) and registry-mirrors for Docker classic
 * (loader-semantics §3.3, §3.4, §11 item 32), Docker's image store choice (§4), containerd CRI's effective
 * config_path and the transfer service's reading of a list (§9.1, §11 item 34), registries.conf's `[[registry]]`
 * prefix rewrites, mirrors, `insecure` and `blocked` for containers/image (§8.1).
 */
import path from "node:path";
import { dockerNotReadReason } from "./docker.js";
import { containerdPortDir, hostPart } from "./host-names.js";
import { DOCKER_HUB, type ParsedRef } from "./reference.js";
import { isIPLiteral } from "./ip.js";
import { CONTAINERD_ROOT, DOCKER_ROOT } from "./roots.js";
import { podmanSearchRoots, RUNTIMES, type RuntimeSettings } from "./registry.js";
import type { RuntimeId } from "./types.js";
import {
  ANSWER,
  type AnswerFn,
  containerdCandidates,
  containerdLookup,
  firstExisting,
  isLoopback,
  type Lookup,
  lookUp,
  mirrorNote,
  type MirrorLookup,
  podmanLookup,
  where,
  type WhereAnswer,
  type WhereOptions,
} from "./where.js";
import {
  containersPullSources,
  findContainersRegistry,
  insecureByResolution,
  type WhereHostConfig,
} from "./where-config.js";

const isHub = (host: string) => host === DOCKER_HUB || host === "index.docker.io";
const unique = (xs: readonly string[]) => [...new Set(xs)];

/** Why dockerd's classic path skips certs.d for this host on this machine, or null (isSecureIndex, newTLSConfig). */
function classicReason(host: string, s: RuntimeSettings, cfg: WhereHostConfig): string | null {
  const engine = { ...s.docker, insecureRegistries: cfg.dockerInsecure };
  return dockerNotReadReason(host, engine) ?? insecureByResolution(host, cfg, engine);
}

function classic(root: string, host: string, s: RuntimeSettings, sysroot: string | null, cfg: WhereHostConfig): Lookup {
  const candidate = lookUp(path.join(root, host), sysroot);
  const reason = classicReason(host, s, cfg);
  if (reason) return { status: "skipped", directory: null, reason, candidates: [candidate] };
  return firstExisting([candidate.path], sysroot, false);
}

/** A note when the name's addresses are not known, so an insecure CIDR (127.0.0.0/8 always) may still match. */
function resolutionNote(host: string, cfg: WhereHostConfig, ipv6LoopbackInsecure: boolean): string[] {
  const h = hostPart(host);
  if (isHub(host) || h.toLowerCase() === "localhost" || isIPLiteral(h)) return [];
  const r = cfg.resolved[h];
  if (!r || r.addresses.length) return [];
  const ranges = ["127.0.0.0/8", ...(ipv6LoopbackInsecure ? ["::1/128"] : []), ...cfg.dockerInsecure.cidrs].join(
    " or ",
  );
  if (r.error) return [`${h} does not resolve (${r.error}): dockerd matches no insecure range for it`];
  return [
    `${h} is not in ${r.via}, and that machine's DNS is not asked: if it resolves into ${ranges}, ` +
      "dockerd skips this directory",
  ];
}

function storeNote(ref: ParsedRef, cfg: WhereHostConfig, row: "docker" | "docker-containerd"): string[] {
  if (ref.kind !== "image") return [];
  const { store, reason } = cfg.dockerStore;
  if (row === "docker")
    return store === "classic"
      ? [`docker pull and push take this path here: ${reason}`]
      : [`docker pull and push use the containerd image store here: ${reason}; docker login still takes this path`];
  return store === "containerd"
    ? [`docker pull and push take this path here: ${reason}`]
    : [`docker pull takes the classic path here: ${reason}; BuildKit (docker build) takes this one`];
}

/** The root dockerd reads on this machine: the snap's when the docker snap is what is installed. */
function dockerRoot(o: WhereOptions, cfg: WhereHostConfig): string {
  return o.root ?? cfg.discovered?.snapRoot ?? DOCKER_ROOT;
}

/** What a rootless dockerd found on this machine reads, instead of the generic hint. */
function rootlessNotes(host: string, sysroot: string | null, cfg: WhereHostConfig): string[] {
  const found = cfg.discovered?.rootless ?? [];
  if (!found.length) return ["rootless dockerd reads $XDG_CONFIG_HOME/docker/certs.d instead"];
  return found.map((root) => {
    const c = lookUp(path.join(root, host), sysroot);
    return `rootless dockerd (found here) reads ${c.path} (${c.state})`;
  });
}

function dockerAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null, cfg: WhereHostConfig): WhereAnswer {
  const s = o.settings;
  const root = dockerRoot(o, cfg);
  const host = ref.host;
  const hub = isHub(host);
  const base = classic(root, host, s, sysroot, cfg);
  if (hub) base.candidates = [];
  const notes: string[] = [];
  if (hub)
    notes.push(
      "certs.d/docker.io and certs.d/index.docker.io are never read for Docker Hub; " +
        "only registry mirrors (daemon.json registry-mirrors) have directories",
    );
  else if (base.status !== "skipped") notes.push(...resolutionNote(host, cfg, s.docker.ipv6LoopbackInsecure));
  if (!hub && host.includes(":") && !o.root)
    notes.push(`Windows: %PROGRAMDATA%\\docker\\certs.d\\${host.replace(/:/g, "")} (colons removed)`);
  if (!o.root && cfg.discovered?.snapRoot)
    notes.push(`the docker snap's dockerd reads ${cfg.discovered.snapRoot}, not ${DOCKER_ROOT}`);
  if (!o.root) notes.push(...rootlessNotes(host, sysroot, cfg));
  notes.push(...storeNote(ref, cfg, "docker"));
  // dockerd's lookupV2Endpoints (service_v2.go): each mirror's TLS settings from its own directory, gated by
  // isSecureIndex like any registry.
  const list = unique([...cfg.dockerMirrors, ...(o.mirrors ?? [])]);
  let mirrors: MirrorLookup[] | null = null;
  if (hub && list.length) {
    mirrors = list.map((m) => ({ mirror: m, ...classic(root, m, s, sysroot, cfg) }));
    notes.push(mirrorNote(s.docker.version));
  } else if (hub) notes.push("daemon.json sets no registry-mirrors: pulls go to Docker Hub itself");
  else if (o.mirrors?.length) notes.push("registry-mirrors apply to Docker Hub only: --mirror changes nothing here");
  return { runtime: "docker", name: RUNTIMES.docker.name, ...base, notes, mirrors };
}

function dockerContainerdAnswer(
  ref: ParsedRef,
  o: WhereOptions,
  sysroot: string | null,
  cfg: WhereHostConfig,
): WhereAnswer {
  const s = o.settings;
  if (!s.docker.containerd) return ANSWER["docker-containerd"](ref, o, sysroot);
  const base = containerdLookup([dockerRoot(o, cfg)], ref.host, sysroot);
  const notes: string[] = [];
  if (isLoopback(ref.host)) notes.push("loopback: the files are loaded and TLS verification is skipped");
  // daemon/hosts.go: the registry settings from daemon.json reach containerd's hosts only when daemon.json sets
  // registry-mirrors or insecure-registries (mergeLegacyConfig, the one caller of IsInsecureRegistry).
  else if (
    !isHub(ref.host) &&
    (cfg.dockerInsecure.names.length > 0 || cfg.dockerInsecure.cidrs.length > 0 || cfg.dockerMirrors.length > 0) &&
    classicReason(ref.host, s, cfg)
  )
    notes.push(
      "dockerd counts it as insecure here: verification is skipped and HTTP allowed, but the files still load",
    );
  const list = unique([...cfg.dockerMirrors, ...(o.mirrors ?? [])]);
  if (list.length && isHub(ref.host))
    notes.push(`mirrors ${list.join(", ")} use the docker.io directory (or _default), not certs.d/<mirror>`);
  notes.push(...storeNote(ref, cfg, "docker-containerd"));
  if (ref.kind !== "image") notes.push("`docker login` takes the classic path (the Docker row) even here");
  return { runtime: "docker-containerd", name: RUNTIMES["docker-containerd"].name, ...base, notes, mirrors: null };
}

function containerdAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null, cfg: WhereHostConfig): WhereAnswer {
  const s = o.settings;
  const c = cfg.containerd;
  const name = RUNTIMES.containerd.name;
  const notes: string[] = [];
  const loopback = isLoopback(ref.host) ? ["loopback: the files are loaded and TLS verification is skipped"] : [];
  const nerdctl = containerdLookup([CONTAINERD_ROOT, DOCKER_ROOT], ref.host, sysroot);
  const nerdctlNote = () =>
    nerdctl.status === "reads"
      ? `nerdctl reads ${nerdctl.directory} (its own list: ${CONTAINERD_ROOT}, then ${DOCKER_ROOT})`
      : `nerdctl finds no directory in ${CONTAINERD_ROOT} or ${DOCKER_ROOT}`;
  if (o.root) return ANSWER.containerd(ref, o, sysroot);
  // k3s, RKE2 and microk8s run a containerd of their own on their own root (roots.ts).
  const kube = cfg.discovered?.kube ?? [];
  if (kube.length && !c.present) {
    const own = containerdLookup([kube[0]!.path], ref.host, sysroot);
    return {
      runtime: "containerd",
      name,
      ...own,
      notes: [
        `${kube[0]!.id}'s containerd reads its own root, ${kube[0]!.path}`,
        ...kube.slice(1).map((k) => `${k.id}'s containerd reads ${k.path}`),
        ...loopback,
      ],
      mirrors: null,
    };
  }
  if (!c.present) {
    const a = ANSWER.containerd(ref, o, sysroot);
    a.notes.unshift(
      `no /etc/containerd here: ${c.source}; the answer is the default of containerd ${s.containerd.version}`,
    );
    return a;
  }
  if (c.criDisabled || c.configPath === null) {
    notes.push(nerdctlNote(), "ctr reads a directory only with --hosts-dir", ...loopback);
    return {
      runtime: "containerd",
      name,
      status: "skipped",
      directory: null,
      reason: c.criDisabled
        ? `${c.source}: nothing pulls through CRI here`
        : `${c.source}: CRI reads no certs.d directory`,
      candidates: [],
      notes,
      mirrors: null,
    };
  }
  const roots = c.configPath.split(":").filter(Boolean);
  const listed = roots.length > 1;
  let base: Lookup;
  if (listed && c.transfer) {
    // core/transfer/registry/registry.go NewOCIRegistry: config.HostDirFromRoot(ropts.hostDir) with the raw
    // config_path string, so the list is one directory name (containerd#12808).
    const literal = firstExisting(containerdCandidates(c.configPath, ref.host), sysroot, false);
    const split = containerdLookup(roots, ref.host, sysroot);
    base =
      literal.status === "no-directory"
        ? {
            ...literal,
            status: "skipped",
            reason:
              "CRI pulls go through the transfer service, which takes the config_path list as one directory: " +
              "no host directory is read (containerd#12808)",
          }
        : literal;
    notes.push(
      `CRI's config_path ${c.configPath} (${c.source})`,
      split.status === "reads"
        ? `with use_local_image_pull = true CRI would split the list and read ${split.directory}`
        : "with use_local_image_pull = true CRI would split the list, and find no directory either",
      nerdctlNote(),
    );
  } else {
    base = containerdLookup(roots, ref.host, sysroot);
    notes.push(`CRI's config_path ${c.configPath} (${c.source})`);
    if (listed) notes.push("local pulls split the list: the first root with a directory (_default included) wins");
  }
  notes.push(...loopback);
  if (ref.host.includes(":"))
    notes.push(
      `Windows: ${containerdPortDir(ref.host)}, then ${ref.host.replace(/:/g, "")}, then _default (colon removed)`,
    );
  if (o.mirrors?.length)
    notes.push("mirrors are [host] tables in hosts.toml, with their own TLS keys: --mirror is ignored");
  return { runtime: "containerd", name, ...base, notes, mirrors: null };
}

function podmanAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null, cfg: WhereHostConfig): WhereAnswer {
  const roots = o.root ? [o.root] : podmanSearchRoots(cfg.podmanHome);
  const notes: string[] = [];
  if (!o.root) notes.push("first existing wins, no merging; --cert-dir replaces the search with one flat directory");
  // docker_image_src.go newImageSource: FindRegistry(ref.Name()), then PullSourcesFromReference(ref).
  const named = ref.repository ?? ref.host;
  const full = `${named}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
  const reg = findContainersRegistry(named, cfg.registries);
  const sources = reg
    ? containersPullSources(reg, full, ref.digest !== null)
    : [{ host: ref.host, mirror: false, insecure: false }];
  const primary = sources.at(-1)!;
  let base = podmanLookup(roots, primary.host, sysroot);
  if (reg && primary.host !== ref.host)
    notes.push(`${reg.file} sends ${reg.prefix} to ${reg.location}: the directory is ${primary.host}'s`);
  if (reg?.blocked)
    // docker_client.go newDockerClient: certificates are set up first, then the blocked registry refused.
    base = {
      ...base,
      status: "error",
      directory: null,
      reason: `registry ${reg.prefix} is blocked in ${cfg.registriesConfPath} or ${cfg.registriesConfDirPath}`,
    };
  if (isLoopback(ref.host) && !primary.insecure)
    notes.push("localhost is not insecure by default: the files are loaded and verified");
  if (primary.insecure) notes.push(`${reg!.file} marks it insecure: verification is skipped, the files still load`);
  let mirrors: MirrorLookup[] | null = null;
  const configured = ref.kind === "image" ? sources.filter((x) => x.mirror).map((x) => x.host) : [];
  const list = unique([...configured, ...(o.mirrors ?? [])]);
  if (list.length) {
    mirrors = list.map((m) => ({ mirror: m, ...podmanLookup(roots, m, sysroot) }));
    // docker_image_src.go newImageSource: the mirrors first, in order, then the primary location.
    notes.push("the mirrors are tried first, each with its own directory; a failing one moves on to the next source");
  }
  const skipped = ref.kind === "image" && reg ? reg.mirrors.length - configured.length : 0;
  if (skipped > 0)
    notes.push(
      `${skipped} mirror${skipped > 1 ? "s" : ""} not used for this reference (mirror-by-digest-only or pull-from-mirror)`,
    );
  if (!reg && !cfg.files.some((f) => f.path.includes("registries.conf") && f.state === "read"))
    notes.push("no registries.conf here: no mirrors, nothing insecure");
  return { runtime: "podman", name: RUNTIMES.podman.name, ...base, notes, mirrors };
}

/** A configuration file the daemon refuses: it does not start (or, for registries.conf, every pull fails). */
function refusedNotes(runtime: RuntimeId, cfg: WhereHostConfig): string[] {
  const bad = (test: (p: string) => boolean) => cfg.files.filter((f) => f.state === "invalid" && test(f.path));
  if (runtime === "docker" || runtime === "docker-containerd")
    return bad((p) => p.endsWith("/daemon.json")).map((f) => `dockerd does not start with ${f.path}: ${f.error}`);
  if (runtime === "containerd")
    return bad((p) => p.endsWith("/config.toml")).map((f) => `containerd does not start with ${f.path}: ${f.error}`);
  return bad((p) => p.includes("registries.conf")).map(
    (f) => `containers/image refuses ${f.path}, and every pull fails: ${f.error}`,
  );
}

/** Every runtime's answer with the machine's configuration read. */
export function whereOnHost(ref: ParsedRef, o: WhereOptions, cfg: WhereHostConfig): WhereAnswer[] {
  const withCfg =
    (f: (ref: ParsedRef, o: WhereOptions, sysroot: string | null, cfg: WhereHostConfig) => WhereAnswer): AnswerFn =>
    (r, opts, sysroot) => {
      const a = f(r, opts, sysroot, cfg);
      a.notes.unshift(...refusedNotes(a.runtime, cfg));
      return a;
    };
  const answer: Record<RuntimeId, AnswerFn> = {
    docker: withCfg(dockerAnswer),
    "docker-containerd": withCfg(dockerContainerdAnswer),
    containerd: withCfg(containerdAnswer),
    podman: withCfg(podmanAnswer),
  };
  return where(ref, { ...o, answer });
}
