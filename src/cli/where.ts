/**
 * `certsd-lint where <ref>`: which directory each runtime reads for a registry, as text for an 80-column terminal
 * or as JSON (schema/where.v1.schema.json).
 */
import { statSync } from "node:fs";
import path from "node:path";
import { containerdRelease, DEFAULT_CONTAINERD_VERSION } from "../runtimes/containerd-release.js";
import { DEFAULT_DOCKER_VERSION, dockerEngine } from "../runtimes/docker-engine.js";
import { DEFAULT_PODMAN_VERSION, podmanRelease } from "../runtimes/podman.js";
import { type ParsedRef, parseLoginArgument, parseTarget, RefParseError } from "../runtimes/reference.js";
import { type RuntimeSettings, runtimeSettings } from "../runtimes/registry.js";
import type { RuntimeId } from "../runtimes/types.js";
import { type Candidate, type Lookup, where, type WhereAnswer } from "../runtimes/where.js";
import type { WhereHostConfig } from "../runtimes/where-config.js";
import { whereOnHost } from "../runtimes/where-host.js";
import { whereHostConfig } from "../host/where-context.js";
import { toolInfo } from "../version.js";

export interface WhereRequest {
  ref: string;
  format: "text" | "json";
  root?: string;
  sysroot?: string;
  /** --host: read this machine's configuration (--sysroot reads the sysroot's). */
  host?: boolean;
  mirrors: string[];
  runtimes?: RuntimeId[];
  dockerVersion?: string;
  containerdVersion?: string;
  podmanVersion?: string;
}

export interface WhereJson {
  version: 1;
  tool: { name: string; version: string };
  input: string;
  kind: ParsedRef["kind"];
  host: string;
  repository: string | null;
  tag: string | null;
  digest: string | null;
  alternative: string | null;
  options: {
    root: string | null;
    sysroot: string | null;
    mirrors: string[];
    dockerVersion: string;
    containerdVersion: string;
    podmanVersion: string;
  };
  runtimes: WhereAnswer[];
  /** With --host or --sysroot: the configuration read (null without either). */
  context: WhereContext | null;
}

/** What `where` read of the machine's configuration (schema/where.v1.schema.json `context`). */
export interface WhereContext {
  source: WhereHostConfig["source"];
  files: WhereHostConfig["files"];
  dockerInsecure: WhereHostConfig["dockerInsecure"];
  dockerMirrors: string[];
  dockerStore: WhereHostConfig["dockerStore"];
  containerdConfigPath: { value: string | null; source: string; transfer: boolean };
  registries: WhereHostConfig["registries"];
  resolved: WhereHostConfig["resolved"];
}

export function whereContext(c: WhereHostConfig): WhereContext {
  return {
    source: c.source,
    files: c.files,
    dockerInsecure: c.dockerInsecure,
    dockerMirrors: c.dockerMirrors,
    dockerStore: c.dockerStore,
    containerdConfigPath: {
      value: c.containerd.configPath,
      source: c.containerd.source,
      transfer: c.containerd.transfer,
    },
    registries: c.registries,
    resolved: c.resolved,
  };
}

const WIDTH = 80;

/** Greedy word wrap to WIDTH, the first line after `first`, the rest after `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  // A word longer than a line (a long path) is broken where it must be.
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) =>
      w.length <= WIDTH - rest.length ? [w] : (w.match(new RegExp(`.{1,${WIDTH - rest.length}}`, "g")) ?? []),
    );
  for (const word of words) {
    if (!fresh && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (fresh ? "" : " ") + word;
    }
    fresh = false;
  }
  lines.push(line);
  return lines;
}

const STATE_TEXT: Record<Candidate["state"], string> = {
  exists: "exists",
  missing: "missing",
  unreadable: "unreadable",
  error: "error",
};

function candidateLines(l: Lookup, indent: string): string[] {
  return l.candidates.flatMap((c, i) => {
    const state =
      c === l.candidates.at(-1) && l.status === "skipped" && c.state === "exists"
        ? "exists, ignored"
        : STATE_TEXT[c.state];
    const head = `${indent}${i + 1}. `;
    const line = `${head}${c.path}`;
    if (line.length + 2 + state.length <= WIDTH)
      return [`${line}${" ".repeat(WIDTH - line.length - state.length)}${state}`];
    // A path too long for one line: the path alone, broken where it must be, then the state on its own line.
    const out: string[] = [];
    for (let rest = line; rest.length; rest = rest.length > WIDTH ? " ".repeat(head.length) + rest.slice(WIDTH) : "")
      out.push(rest.slice(0, WIDTH));
    out.push(`${" ".repeat(WIDTH - state.length)}${state}`);
    return out;
  });
}

function headline(label: string, l: Lookup): string[] {
  switch (l.status) {
    case "reads":
      return wrap(`reads ${l.directory}`, `${label}: `, "    ");
    case "no-directory":
      return wrap(`none, ${l.reason}`, `${label}: `, "    ");
    case "skipped":
      return wrap(`none: ${l.reason}`, `${label}: `, "    ");
    case "error":
      return wrap(`fails: ${l.reason}`, `${label}: `, "    ");
    case "not-modelled":
      return wrap(`not modelled: ${l.reason}`, `${label}: `, "    ");
  }
}

function describe(ref: ParsedRef, input: string): string[] {
  const parts: string[] = [];
  if (ref.kind === "image") {
    parts.push(`image ${ref.repository}`);
    if (ref.tag) parts.push(`tag ${ref.tag}`);
    if (ref.digest) parts.push(`digest ${ref.digest}`);
  } else parts.push(ref.kind === "login" ? "a docker login argument" : "a registry");
  const lines = wrap(`${input} → registry host ${ref.host} (${parts.join(", ")})`, "", "  ");
  if (ref.alternative)
    lines.push(
      ...wrap(`(as an image reference it would be ${ref.alternative}: write it that way for Docker Hub)`, "  ", "  "),
    );
  return lines;
}

/** Which configuration files were read, in two wrapped lines at most. */
export function contextLines(c: WhereContext): string[] {
  const read = c.files.filter((f) => f.state === "read").map((f) => f.path);
  const absent = c.files.filter((f) => f.state === "absent").map((f) => f.path);
  // The same words for --host and --sysroot (JSON's context.source tells them apart), so an example holds for both.
  const out = [...wrap(`configuration read: ${read.length ? read.join(", ") : "none"}`, "", "  ")];
  if (absent.length) out.push(...wrap(`absent (defaults apply): ${absent.join(", ")}`, "", "  "));
  for (const f of c.files.filter((x) => x.state === "invalid"))
    out.push(...wrap(`refused: ${f.path}: ${f.error ?? "invalid"}`, "", "  "));
  return out;
}

export function whereText(
  ref: ParsedRef,
  input: string,
  answers: WhereAnswer[],
  context: WhereContext | null = null,
): string {
  const out = [...describe(ref, input)];
  if (context) out.push(...contextLines(context));
  for (const a of answers) {
    out.push("", ...headline(a.name, a), ...candidateLines(a, "  "));
    for (const m of a.mirrors ?? []) out.push(...headline(`  mirror ${m.mirror}`, m), ...candidateLines(m, "    "));
    for (const n of a.notes) out.push(...wrap(n, "  - ", "    "));
  }
  return `${out.join("\n")}\n`;
}

/** A problem with the arguments: one line on stderr, exit 2. */
export class WhereUsage extends Error {}

function versions(req: Omit<WhereRequest, "format">): RuntimeSettings {
  const parse = <T>(flag: string, value: string, f: (v: string) => T): T => {
    try {
      return f(value);
    } catch (e) {
      throw new WhereUsage(`${flag}: ${(e as Error).message}`);
    }
  };
  return runtimeSettings({
    docker: parse("--docker-version", req.dockerVersion ?? DEFAULT_DOCKER_VERSION, dockerEngine),
    containerd: parse("--containerd-version", req.containerdVersion ?? DEFAULT_CONTAINERD_VERSION, containerdRelease),
    podman: parse("--podman-version", req.podmanVersion ?? DEFAULT_PODMAN_VERSION, podmanRelease),
  });
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The parsed argument, every runtime's answer and, with --host or --sysroot, the configuration read. */
export async function whereAnswers(
  req: Omit<WhereRequest, "format">,
  parse: (ref: string) => ParsedRef = parseTarget,
): Promise<{
  ref: ParsedRef;
  answers: WhereAnswer[];
  settings: RuntimeSettings;
  context: WhereContext | null;
  root: string | null;
  sysroot: string | null;
  mirrors: string[];
}> {
  let ref: ParsedRef;
  try {
    ref = parse(req.ref);
  } catch (e) {
    if (e instanceof RefParseError) throw new WhereUsage(`where ${req.ref}: ${e.message}`);
    throw e;
  }
  if (req.sysroot && req.root && !req.root.startsWith("/"))
    throw new WhereUsage("--root: give an absolute path with --sysroot (it is looked up inside the sysroot)");
  let mirrors: string[];
  try {
    mirrors = req.mirrors.map((m) => parseLoginArgument(m).host);
  } catch (e) {
    throw new WhereUsage(`--mirror: ${(e as Error).message}`);
  }
  const settings = versions(req);
  const root = req.root ? (req.sysroot ? path.posix.normalize(req.root) : path.resolve(req.root)) : null;
  const sysroot = req.sysroot ? path.resolve(req.sysroot) : null;
  // As the lint run words it (runner.ts): a sysroot is a directory, or nothing can be looked up in it.
  if (sysroot && !isDirectory(sysroot)) throw new WhereUsage(`--sysroot ${req.sysroot}: not a directory`);
  const options = {
    settings,
    root,
    sysroot,
    mirrors,
    ...(process.env.HOME ? { home: process.env.HOME } : {}),
    ...(req.runtimes ? { runtimes: req.runtimes } : {}),
  };
  if (!sysroot && !req.host)
    return { ref, answers: where(ref, options), settings, context: null, root, sysroot, mirrors };
  const cfg = await whereHostConfig({
    sysroot,
    docker: settings.docker,
    containerdVersion: settings.containerd.version,
    hosts: [ref.host, ...mirrors],
    ...(process.env.HOME ? { home: process.env.HOME } : {}),
  });
  return { ref, answers: whereOnHost(ref, options, cfg), settings, context: whereContext(cfg), root, sysroot, mirrors };
}

async function answer(req: WhereRequest): Promise<string> {
  const { ref, answers, settings, context, root, sysroot, mirrors } = await whereAnswers(req);
  if (req.format === "text") return whereText(ref, req.ref, answers, context);
  const json: WhereJson = {
    version: 1,
    tool: toolInfo(),
    input: req.ref,
    kind: ref.kind,
    host: ref.host,
    repository: ref.repository,
    tag: ref.tag,
    digest: ref.digest,
    alternative: ref.alternative,
    options: {
      root,
      sysroot,
      mirrors,
      dockerVersion: settings.docker.version,
      containerdVersion: settings.containerd.version,
      podmanVersion: settings.podman.version,
    },
    runtimes: answers,
    context,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Prints the answer; 0 when answered, 2 (one line on stderr) when the arguments cannot be understood. */
export async function runWhere(req: WhereRequest): Promise<number> {
  let text: string;
  try {
    text = await answer(req);
  } catch (e) {
    if (!(e instanceof WhereUsage)) throw e;
    process.stderr.write(`certsd-lint: ${e.message}\n`);
    return 2;
  }
  process.stdout.write(text);
  return 0;
}
