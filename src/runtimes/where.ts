/**
 * dockerd and the mirrors' directories (service_v2.go lookupV2Endpoints): pull tries each mirror first; push and login
 * leave the mirrors out only from v28 (includeMirrors=false); before, they load them too and fail the same way.
 */
export function mirrorNote(dockerVersion: string): string {
  return Number(/^v?(\d+)/.exec(dockerVersion)?.[1] ?? 29) >= 28
    ? "pull tries each mirror's directory first and fails at once on a broken one; push and login skip them"
    : "pull tries each mirror's directory first and fails at once on a broken one; before v28 push and login " +
        "load them too, and fail the same way";
}

/**
 * `certsd-lint where`: for one registry host, the directory each runtime reads, the candidates it tries in order and
 * which of them exist (loader-semantics §3.1-3.4 Docker classic, §4 Docker's containerd store, §8.1 containers/image,
 * §9.1 containerd, §10 the side-by-side table). Existence is looked up on the real file system, or inside a sysroot,
 * where absolute symbolic links are followed inside it too, so nothing outside it is read. Without `host` (the
 * machine's configuration, where-config.ts) only the built-in rules (loopback, Docker Hub, `_default`) are modelled
 * and configured ones (insecure-registries, registry-mirrors, config_path) are notes; with it, daemon.json,
 * containerd's config.toml and registries.conf decide (where-host.ts).
 */
import { homedir } from "node:os";
import path from "node:path";
import { resolveInside } from "../scan/confine.js";
import { dockerNotReadReason } from "./docker.js";
import { containerdPortDir, isLoopbackHost } from "./host-names.js";
import { DOCKER_HUB, type ParsedRef } from "./reference.js";
import { CONTAINERD_ROOT, DOCKER_ROOT } from "./roots.js";
import { podmanSearchRoots, RUNTIME_IDS, RUNTIMES, type RuntimeSettings } from "./registry.js";
import type { RuntimeId } from "./types.js";

export type CandidateState = "exists" | "missing" | "unreadable" | "error";

export interface Candidate {
  /** The path as the runtime sees it (outside any sysroot). */
  path: string;
  state: CandidateState;
  /** For "unreadable" and "error": the system's message. */
  error: string | null;
}

/**
 * reads: a candidate exists and is read. no-directory: none exists, the stock TLS settings apply. skipped: the runtime
 * reads no directory for this host whatever exists. error: looking a candidate up failed, and so does the operation.
 * not-modelled: certsd-lint does not know.
 */
export type WhereStatus = "reads" | "no-directory" | "skipped" | "error" | "not-modelled";

export interface Lookup {
  status: WhereStatus;
  directory: string | null;
  /** Why, when no directory is read. */
  reason: string | null;
  candidates: Candidate[];
}

export interface MirrorLookup extends Lookup {
  mirror: string;
}

export interface WhereAnswer extends Lookup {
  runtime: RuntimeId;
  name: string;
  notes: string[];
  /** Per --mirror, for the runtimes that give mirrors a directory of their own; null when no mirror was given. */
  mirrors: MirrorLookup[] | null;
}

export interface WhereOptions {
  settings: RuntimeSettings;
  /** --root: every runtime is asked about this one root instead of its conventional ones. */
  root?: string | null;
  /** --sysroot: every absolute path is looked up inside this directory. */
  sysroot?: string | null;
  /** The home containers/image searches first (default: the user's). */
  home?: string;
  /** --mirror: the hosts of registry mirrors, as daemon.json or registries.conf would list them. */
  mirrors?: readonly string[];
  runtimes?: readonly RuntimeId[];
  /** Other answers per runtime (where-host.ts: the machine's configuration read). */
  answer?: Record<RuntimeId, AnswerFn>;
}

export type AnswerFn = (ref: ParsedRef, o: WhereOptions, sysroot: string | null) => WhereAnswer;

/** Go's syscall texts for the errors a stat can meet. */
const GO_ERRNO: Record<string, string> = {
  EACCES: "permission denied",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
  EIO: "input/output error",
};

/** os.Stat's verdict on one candidate: Go's os.IsNotExist is ENOENT only (ENOTDIR is another error). */
export function lookUp(p: string, sysroot: string | null): Candidate {
  try {
    // Every link followed as the machine would (inside the sysroot when there is one): scan/confine.ts.
    resolveInside(sysroot ?? "/", p);
    return { path: p, state: "exists", error: null };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") return { path: p, state: "missing", error: null };
    const message = `stat ${p}: ${GO_ERRNO[err.code ?? ""] ?? err.code ?? String(e)}`;
    return { path: p, state: err.code === "EACCES" ? "unreadable" : "error", error: message };
  }
}

/** Tries candidates in order; the first that exists wins. `skipUnreadable`: containers/image moves on past EACCES. */
export function firstExisting(paths: string[], sysroot: string | null, skipUnreadable: boolean): Lookup {
  const candidates: Candidate[] = [];
  for (const p of paths) {
    const c = lookUp(p, sysroot);
    candidates.push(c);
    if (c.state === "exists") return { status: "reads", directory: p, reason: null, candidates };
    if (c.state === "error" || (c.state === "unreadable" && !skipUnreadable))
      return { status: "error", directory: null, reason: c.error, candidates };
  }
  return {
    status: "no-directory",
    directory: null,
    reason: "no candidate exists: stock TLS settings (system CAs, no client certificate)",
    candidates,
  };
}

/** containerd's hostPaths (config_unix.go): `host_port_` when there is a port, `host:port`, then `_default`. */
export function containerdCandidates(root: string, host: string): string[] {
  const portDir = containerdPortDir(host);
  return [...(portDir ? [path.join(root, portDir)] : []), path.join(root, host), path.join(root, "_default")];
}

/** hostDirFromRoots: each root in turn, stopping at the first that yields a directory (`_default` included). */
export function containerdLookup(roots: string[], host: string, sysroot: string | null): Lookup {
  const candidates: Candidate[] = [];
  let last: Lookup | null = null;
  for (const root of roots) {
    last = firstExisting(containerdCandidates(root, host), sysroot, false);
    candidates.push(...last.candidates);
    if (last.status !== "no-directory") return { ...last, candidates };
  }
  return { ...last!, candidates };
}

export function isLoopback(host: string): boolean {
  return isLoopbackHost(host.toLowerCase());
}

/** Docker classic for one host: the insecure/Hub gate (docker.ts), then `<root>/<host>` exactly. */
export function classicLookup(root: string, host: string, s: RuntimeSettings, sysroot: string | null): Lookup {
  const candidate = lookUp(path.join(root, host), sysroot);
  const reason = dockerNotReadReason(host, s.docker);
  if (reason) return { status: "skipped", directory: null, reason, candidates: [candidate] };
  return firstExisting([candidate.path], sysroot, false);
}

function dockerAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null): WhereAnswer {
  const s = o.settings;
  const root = o.root ?? DOCKER_ROOT;
  const host = ref.host;
  const hub = host === DOCKER_HUB || host === "index.docker.io";
  const base = classicLookup(root, host, s, sysroot);
  if (hub) base.candidates = [];
  const notes: string[] = [];
  if (hub) {
    notes.push(
      "certs.d/docker.io and certs.d/index.docker.io are never read for Docker Hub; " +
        "only registry mirrors (daemon.json registry-mirrors) have directories",
    );
  } else if (base.status !== "skipped") {
    notes.push("insecure-registries in daemon.json (not read here) would skip this directory too");
  }
  if (!hub && host.includes(":") && !o.root)
    notes.push(`Windows: %PROGRAMDATA%\\docker\\certs.d\\${host.replace(/:/g, "")} (colons removed)`);
  if (!o.root) notes.push("rootless dockerd reads $XDG_CONFIG_HOME/docker/certs.d instead");
  let mirrors: MirrorLookup[] | null = null;
  if (o.mirrors?.length) {
    if (hub) {
      mirrors = o.mirrors.map((m) => ({ mirror: m, ...classicLookup(root, m, s, sysroot) }));
      notes.push(mirrorNote(s.docker.version));
    } else notes.push("registry-mirrors apply to Docker Hub only: --mirror changes nothing here");
  } else if (hub) notes.push("mirrors: daemon.json is not read here; give --mirror URL to see their directories");
  return { runtime: "docker", name: RUNTIMES.docker.name, ...base, notes, mirrors };
}

function dockerContainerdAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null): WhereAnswer {
  const s = o.settings;
  const name = RUNTIMES["docker-containerd"].name;
  if (!s.docker.containerd) {
    return {
      runtime: "docker-containerd",
      name,
      status: "not-modelled",
      directory: null,
      reason: `Docker ${s.docker.version} predates v28: its BuildKit read certs.d with its own loader, which certsd-lint does not model`,
      candidates: [],
      notes: [],
      mirrors: null,
    };
  }
  const base = containerdLookup([o.root ?? DOCKER_ROOT], ref.host, sysroot);
  const notes: string[] = [];
  if (isLoopback(ref.host)) notes.push("loopback: the files are loaded and TLS verification is skipped");
  else notes.push("insecure-registries would only add skipped verification and HTTP: the files still load");
  if (o.mirrors?.length || ref.host === DOCKER_HUB)
    notes.push("daemon.json mirrors use the docker.io directory (or _default), not certs.d/<mirror>");
  if (ref.kind !== "image") notes.push("`docker login` takes the classic path (the Docker row) even here");
  return { runtime: "docker-containerd", name, ...base, notes, mirrors: null };
}

function containerdAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null): WhereAnswer {
  const s = o.settings;
  const listDefault = s.containerd.features.referrers; // v2.2+: the default config_path list
  const roots = o.root ? [o.root] : listDefault ? [CONTAINERD_ROOT, DOCKER_ROOT] : [CONTAINERD_ROOT];
  const base = containerdLookup(roots, ref.host, sysroot);
  const notes: string[] = [];
  if (!o.root) {
    if (listDefault)
      notes.push(
        `containerd ${s.containerd.version}'s default config_path; CRI pulls through the transfer service ` +
          "(the default) read it as one directory and find nothing (containerd#12808); " +
          "local pulls and nerdctl read it as shown",
      );
    else
      notes.push(
        `containerd ${s.containerd.version} has no default config_path: CRI reads nothing unless config.toml ` +
          "sets one; nerdctl and ctr --hosts-dir read this root",
      );
  }
  if (isLoopback(ref.host)) notes.push("loopback: the files are loaded and TLS verification is skipped");
  if (ref.host.includes(":"))
    notes.push(
      `Windows: ${containerdPortDir(ref.host)}, then ${ref.host.replace(/:/g, "")}, then _default (colon removed)`,
    );
  if (o.mirrors?.length)
    notes.push("mirrors are [host] tables in hosts.toml, with their own TLS keys: --mirror is ignored");
  return { runtime: "containerd", name: RUNTIMES.containerd.name, ...base, notes, mirrors: null };
}

export function podmanLookup(roots: string[], host: string, sysroot: string | null): Lookup {
  return firstExisting(
    roots.map((r) => path.join(r, host)),
    sysroot,
    true,
  );
}

function podmanAnswer(ref: ParsedRef, o: WhereOptions, sysroot: string | null): WhereAnswer {
  const roots = o.root ? [o.root] : podmanSearchRoots(o.home ?? homedir());
  const base = podmanLookup(roots, ref.host, sysroot);
  const notes: string[] = [];
  if (!o.root) notes.push("first existing wins, no merging; --cert-dir replaces the search with one flat directory");
  if (isLoopback(ref.host)) notes.push("localhost is not insecure by default: the files are loaded and verified");
  else notes.push("insecure = true in registries.conf only skips verification: the files still load");
  let mirrors: MirrorLookup[] | null = null;
  if (o.mirrors?.length) {
    mirrors = o.mirrors.map((m) => ({ mirror: m, ...podmanLookup(roots, m, sysroot) }));
    notes.push("each mirror uses its own directory; a failing mirror moves on to the next source");
  } else notes.push("mirrors: registries.conf is not read here; give --mirror URL to see their directories");
  return { runtime: "podman", name: RUNTIMES.podman.name, ...base, notes, mirrors };
}

export const ANSWER: Record<RuntimeId, AnswerFn> = {
  docker: dockerAnswer,
  "docker-containerd": dockerContainerdAnswer,
  containerd: containerdAnswer,
  podman: podmanAnswer,
};

/** Every runtime's answer for one parsed reference, in registry order. */
export function where(ref: ParsedRef, o: WhereOptions): WhereAnswer[] {
  const sysroot = o.sysroot ? path.resolve(o.sysroot) : null;
  const wanted = new Set(o.runtimes ?? RUNTIME_IDS);
  return RUNTIME_IDS.filter((r) => wanted.has(r)).map((r) => {
    const a = (o.answer ?? ANSWER)[r](ref, o, sysroot);
    // dockerd's Service.Auth is what the URL rules come from; the others are asked about the URL's host as written.
    if (ref.kind === "login" && r !== "docker")
      a.notes.push(`a docker login URL: answered for the host ${ref.host} as written`);
    return a;
  });
}
