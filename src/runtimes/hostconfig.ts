/**
 * containerd's host configuration (containerd/containerd core/remotes/docker/config/hosts.go @ 301026e58c, v2.3.4),
 * which containerd's CRI, ctr and nerdctl use, and Docker's containerd image store and BuildKit too (moby vendors it):
 *
 * - loadHostDir: a hosts.toml that cannot be read (other than not existing) is an error; an empty one, or none,
 *   means the Docker-style files; one that fails to decode is logged (`failed to decode <path>`) and ignored whole,
 *   and the Docker-style files are used; a valid one replaces the Docker-style files entirely.
 * - loadCertFiles: real subdirectories are skipped (a symlink to one is not); `*.crt` are CA files; `X.cert` is a
 *   client certificate whose key is `X.key` when that exists, else the `.cert` itself; a lone `.key` is ignored.
 * - tlsConfigFromHost, per endpoint in order: every CA file first (`unable to read CA cert %q: %w`, and
 *   `unable to load CA cert %q` when nothing could be added), then every client pair (`unable to read CERT file %q:
 *   %w`, `failed to load X509 key pair: %w`). The first error fails the operation.
 */
import path from "node:path";
import { goQuote } from "../material/go-format.js";
import type { GoProfile } from "../material/go-profile.js";
import { appendCertsFromPem, x509KeyPair } from "../material/go-tls.js";
import { explainNoCertificate } from "../material/explain.js";
import { fileAt, type HostMaterial } from "../material/host.js";
import { type HostEndpoint, parseHostsToml } from "../material/hosts-toml.js";
import type { FileMaterial } from "../material/material.js";
import type { ContainerdRelease } from "./containerd-release.js";
import { CA_EXT, CERT_EXT, certNameOf, isLiveName, KEY_EXT, keyNameOf } from "../scan/names.js";
import { goReadFile, type ReadContext } from "./go-read.js";
import { containerdHostOf, containerdPortDir, isLoopbackHost } from "./host-names.js";
import { emptyOutcome, type EntryVerdict, type HostsTomlState, notRead, type RuntimeOutcome } from "./types.js";

/** containerd's wrapping of a tls.X509KeyPair error (hosts.go: `failed to load X509 key pair: %w`). */
export function pairLoadError(goError: string): string {
  return `failed to load X509 key pair: ${goError}`;
}

export interface HostconfigFlavour {
  runtime: "containerd" | "docker-containerd";
  /** The process that reads the files, in sentences: dockerd for Docker's containerd store. */
  reader: string;
  release: ContainerdRelease;
  /** The Go build of the binary doing the loading (dockerd's for Docker's containerd store). */
  go: GoProfile;
  /** The error as the user sees it, for a registry host string. */
  printed(error: string, host: string): string;
}

/** Where loading ends: thrown through the steps, caught once (not a failure of certsd-lint). */
class Stop extends Error {
  constructor(
    readonly kind: "error" | "undetermined",
    readonly text: string,
    readonly file: string | null,
  ) {
    super(text);
  }
}

/** Name for lists and messages: the entry name inside the host directory, the absolute path outside it. */
function display(hm: HostMaterial, abs: string): string {
  return path.dirname(path.resolve(abs)) === hm.host.path ? path.basename(abs) : abs;
}

/** os.ReadFile of an absolute path containerd computed. */
function read(
  hm: HostMaterial,
  abs: string,
  ctx: ReadContext,
): { data: FileMaterial } | { error: string; notExist: boolean } | { undetermined: string } {
  const entry = fileAt(hm, abs);
  if (!entry) return { error: `open ${abs}: no such file or directory`, notExist: true };
  const r = goReadFile(hm, entry, ctx);
  if (r.kind === "data") return { data: r.material };
  if (r.kind === "error") return { error: r.error, notExist: r.notExist };
  return { undetermined: r.detail };
}

/** loadCertFiles over the scanned listing: the one legacy endpoint (or the error os.Stat gives for a key). */
function legacyEndpoint(hm: HostMaterial, verdicts: Map<string, EntryVerdict>): HostEndpoint {
  const ep: HostEndpoint = {
    server: "",
    scheme: "",
    host: "",
    path: "",
    capabilities: ["pull", "resolve", "push"],
    caCerts: null,
    clientPairs: null,
    skipVerify: null,
    headers: null,
    dialTimeout: null,
    line: null,
  };
  for (const e of hm.host.entries) {
    if (e.kind === "directory" && !e.symlink) continue; // DirEntry.IsDir: the link itself, not its target
    if (e.name.endsWith(CA_EXT)) (ep.caCerts ??= []).push(e.path);
    if (e.name.endsWith(CERT_EXT)) {
      const keyName = keyNameOf(e.name);
      const key = hm.host.entries.find((x) => x.name === keyName);
      let keyPath = "";
      if (key && key.kind !== "dangling-symlink") {
        // os.Stat follows links: a loop is an error, not "missing".
        if (key.kind === "symlink-loop") {
          const error = `stat ${key.path}: too many levels of symbolic links`;
          verdicts.set(e.name, { file: e.name, role: "client-certificate", partner: keyName, error, cause: "read" });
          throw new Stop("error", error, e.name);
        }
        keyPath = key.path;
      }
      (ep.clientPairs ??= []).push([e.path, keyPath]);
    }
  }
  return ep;
}

/** One read tlsConfigFromHost performs, evaluated on its own. */
interface Step {
  file: string;
  verdict: EntryVerdict;
  kind: "ca" | "pair";
  certificates: number;
  pair?: [string, string];
}

/** Every read tlsConfigFromHost does for an endpoint, in its order: CA files first, then client pairs. */
function endpointSteps(hm: HostMaterial, ep: HostEndpoint, f: HostconfigFlavour): Step[] {
  const steps: Step[] = [];
  for (const ca of ep.caCerts ?? []) {
    const file = display(hm, ca);
    const r = read(hm, ca, {
      reader: f.reader,
      go: f.go,
      then: `appends the PEM certificates in it to the CA pool, failing with "unable to load CA cert ${goQuote(ca)}" if it holds none`,
    });
    let verdict: EntryVerdict;
    let certificates = 0;
    if ("undetermined" in r) verdict = { file, role: "undetermined", error: null, detail: r.undetermined };
    else if ("error" in r)
      verdict = { file, role: "ca", error: `unable to read CA cert ${goQuote(ca)}: ${r.error}`, cause: "read" };
    else {
      const pool = appendCertsFromPem(r.data, f.go);
      certificates = pool.added.length;
      verdict =
        certificates === 0
          ? {
              file,
              role: "ca",
              error: `unable to load CA cert ${goQuote(ca)}`,
              cause: "no-certificate",
              certificates: 0,
              skipped: pool.skipped,
              detail: explainNoCertificate(r.data, pool),
            }
          : { file, role: "ca", error: null, certificates, skipped: pool.skipped };
    }
    steps.push({ file, verdict, kind: "ca", certificates });
  }
  for (const [cert, key] of ep.clientPairs ?? []) {
    const file = display(hm, cert);
    const partner = key === "" ? file : display(hm, key);
    const base = { file, role: "client-certificate" as const, partner };
    let verdict: EntryVerdict;
    const pairUse = { reader: f.reader, go: f.go, then: "passes it to tls.X509KeyPair with its partner" };
    const c = read(hm, cert, pairUse);
    const k = key === "" ? c : read(hm, key, pairUse);
    if ("undetermined" in c) verdict = { file, role: "undetermined", error: null, detail: c.undetermined };
    else if ("error" in c)
      verdict = { ...base, error: `unable to read CERT file ${goQuote(cert)}: ${c.error}`, cause: "read" };
    else if ("undetermined" in k) verdict = { file, role: "undetermined", error: null, detail: k.undetermined };
    else if ("error" in k)
      verdict = { ...base, error: `unable to read CERT file ${goQuote(key)}: ${k.error}`, cause: "read" };
    else {
      const pair = x509KeyPair(c.data, k.data, f.go);
      verdict = pair.ok ? { ...base, error: null } : { ...base, error: pairLoadError(pair.error), cause: pair.stage };
    }
    steps.push({ file, verdict, kind: "pair", certificates: 0, pair: [file, partner] });
  }
  return steps;
}

function tomlState(hm: HostMaterial, endpoints: HostEndpoint[]): HostsTomlState["endpoints"] {
  return endpoints.map((e) => ({
    server: e.server,
    url: e.scheme || e.host ? `${e.scheme}://${e.host}${e.path}` : e.path,
    capabilities: e.capabilities,
    skipVerify: e.skipVerify,
    ca: (e.caCerts ?? []).map((p) => display(hm, p)),
    client: (e.clientPairs ?? []).map(
      ([c, k]) => [display(hm, c), k === "" ? display(hm, c) : display(hm, k)] as [string, string],
    ),
  }));
}

/** The host string a directory serves, and whether containerd would rather read a sibling for it. */
export function hostconfigNotReadReason(hm: HostMaterial): string | null {
  const name = hm.host.name;
  const portDir = containerdPortDir(name);
  if (portDir && name.includes(":") && hm.host.siblings.includes(portDir)) {
    return `containerd looks for ${portDir}/ before ${name}/ and uses the first that exists: ${portDir}/ wins`;
  }
  return null;
}

/** ConfigureHosts for the registry host this directory serves. */
export function hostconfigOutcome(hm: HostMaterial, f: HostconfigFlavour): RuntimeOutcome {
  const outcome = emptyOutcome(f.runtime);
  const { host } = hm;
  const registry = host.name === "_default" ? "<registry>" : containerdHostOf(host.name);
  const tomlPath = path.join(host.path, "hosts.toml");
  const tomlEntry = host.entries.find((e) => e.name === "hosts.toml");
  const state: HostsTomlState = {
    status: "absent",
    error: null,
    verbatim: true,
    stage: null,
    line: null,
    endpoints: [],
    unknownKeys: [],
    unusedHosts: [],
  };
  outcome.hostsToml = state;
  const loaded = {
    caFiles: [] as string[],
    caCertificates: 0,
    clientPairs: [] as Array<[string, string]>,
    order: [] as string[],
  };
  try {
    if (host.listError) {
      const { code, goError } = host.listError;
      if (code === "ENOENT") return outcome;
      if (code === "ENOTDIR") throw new Stop("error", `open ${tomlPath}: not a directory`, null);
      if ((code === "EACCES" || code === "EPERM") && !host.readByRoot) {
        throw new Stop(
          "undetermined",
          `certsd-lint cannot list ${host.path} (${goError}); a daemon running as root probably can`,
          null,
        );
      }
      throw new Stop("error", goError, null);
    }
    // loadHostDir: hosts.toml first.
    let endpoints: HostEndpoint[] | null = null;
    if (tomlEntry) {
      const r = goReadFile(hm, tomlEntry, { reader: f.reader, then: "decodes it as TOML" });
      if (r.kind === "undetermined") throw new Stop("undetermined", r.detail, "hosts.toml");
      if (r.kind === "error" && !r.notExist) {
        outcome.verdicts.set("hosts.toml", { file: "hosts.toml", role: "config", error: r.error, cause: "read" });
        throw new Stop("error", r.error, "hosts.toml");
      }
      if (r.kind === "data") {
        if (r.material && tomlEntry.content.status === "read" && tomlEntry.content.data.length === 0)
          state.status = "empty";
        else if (tomlEntry.content.status === "read") {
          const parsed = parseHostsToml(tomlEntry.content.data, host.path, f.release.features);
          if (parsed.ok) {
            state.status = "valid";
            state.endpoints = tomlState(hm, parsed.endpoints);
            state.unknownKeys = parsed.unknownKeys;
            state.unusedHosts = parsed.unusedHosts;
            endpoints = parsed.endpoints;
          } else {
            state.status = "invalid";
            state.error = parsed.error;
            state.verbatim = parsed.verbatim;
            state.stage = parsed.stage;
            state.line = parsed.line;
            outcome.logged.push({
              kind: "hosts-toml-decode",
              level: "error",
              message: `failed to decode ${f.release.decodeLogWithPath ? tomlPath : "hosts.toml"}`,
              error: parsed.error,
              verbatim: parsed.verbatim,
            });
          }
        }
      }
      outcome.verdicts.set("hosts.toml", { file: "hosts.toml", role: "config", error: null, detail: state.status });
    }
    if (endpoints) {
      const named = new Set(
        endpoints
          .flatMap((ep) => [...(ep.caCerts ?? []), ...(ep.clientPairs ?? []).flat()])
          .filter(Boolean)
          .map((p) => display(hm, p)),
      );
      for (const e of host.entries) {
        if (e.name === "hosts.toml" || named.has(e.name)) continue;
        if (isLiveName(e.name)) {
          outcome.verdicts.set(e.name, {
            file: e.name,
            role: "ignored",
            ignore: "hosts-toml",
            error: null,
            detail: "a valid hosts.toml is in charge: only the files it names are loaded",
          });
        }
      }
    } else {
      endpoints = [legacyEndpoint(hm, outcome.verdicts)];
      for (const e of host.entries) {
        if (e.kind === "directory" && !e.symlink)
          outcome.verdicts.set(e.name, {
            file: e.name,
            role: "ignored",
            ignore: "skipped",
            error: null,
            detail: "a subdirectory: skipped",
          });
        else if (e.name.endsWith(KEY_EXT) && !host.entries.some((x) => x.name === certNameOf(e.name))) {
          outcome.verdicts.set(e.name, {
            file: e.name,
            role: "ignored",
            ignore: "skipped",
            error: null,
            detail: "a .key without its .cert is ignored",
          });
        }
      }
    }
    // ConfigureHosts: TLS settings for every endpoint that asks for any, in order.
    const last = endpoints[endpoints.length - 1]!;
    if (last.host === "" && isLoopbackHost(registry)) {
      const port = registry.includes(":") ? registry.slice(registry.lastIndexOf(":") + 1) : "";
      if (port !== "80") last.skipVerify = true; // containerd's own default for localhost
    }
    const steps = endpoints
      .filter((ep) => ep.caCerts !== null || ep.clientPairs !== null || ep.skipVerify !== null)
      .flatMap((ep) => endpointSteps(hm, ep, f));
    for (const step of steps) {
      // A file two endpoints share keeps its first verdict; an error anywhere wins over a success.
      const known = outcome.verdicts.get(step.file);
      if (!known || (known.error === null && step.verdict.error !== null))
        outcome.verdicts.set(step.file, step.verdict);
      if (step.kind === "pair" && step.verdict.error === null && step.pair![1] !== step.file) {
        outcome.verdicts.set(step.pair![1], {
          file: step.pair![1],
          role: "client-key",
          partner: step.file,
          error: null,
        });
      }
    }
    for (const step of steps) {
      loaded.order.push(step.file);
      if (step.verdict.role === "undetermined") throw new Stop("undetermined", step.verdict.detail ?? "", step.file);
      if (step.verdict.error !== null) throw new Stop("error", step.verdict.error, step.file);
      if (step.kind === "ca") {
        if (!loaded.caFiles.includes(step.file)) loaded.caFiles.push(step.file);
        loaded.caCertificates += step.certificates;
      } else loaded.clientPairs.push(step.pair!);
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    if (e.kind === "error") {
      outcome.status = "error";
      outcome.error = e.text;
      outcome.printed = f.printed(e.text, registry);
    } else {
      outcome.status = "undetermined";
      outcome.reason = e.text;
    }
    outcome.errorFile = e.file;
  }
  outcome.caFiles = loaded.caFiles;
  outcome.caCertificates = loaded.caCertificates;
  outcome.clientPairs = loaded.clientPairs;
  // Entries nobody loads: ignored, with the reason; the files a failed load never reached: unreached.
  const reached = new Set(loaded.order);
  for (const e of host.entries) {
    const v = outcome.verdicts.get(e.name);
    if (v?.role === "ignored") {
      outcome.ignored.push({ file: e.name, reason: v.ignore ?? "skipped", detail: v.detail ?? "" });
    } else if (!v && e.name !== "hosts.toml") {
      if (!isLiveName(e.name)) {
        const detail = `only *.crt, *.cert and *.key (or files hosts.toml names) are read`;
        outcome.verdicts.set(e.name, { file: e.name, role: "ignored", ignore: "extension", error: null, detail });
        outcome.ignored.push({ file: e.name, reason: "extension", detail });
      } else if (outcome.status !== "ok" && !reached.has(e.name)) outcome.unreached.push(e.name);
    }
  }
  return outcome;
}

/** A directory containerd would not read for its host because a `host_port_` sibling wins. */
export function hostconfigWithPrecedence(hm: HostMaterial, f: HostconfigFlavour): RuntimeOutcome {
  const loaded = hostconfigOutcome(hm, f);
  const reason = hostconfigNotReadReason(hm);
  return reason ? notRead(loaded, reason) : loaded;
}
