/**
 * Docker Engine's classic certs.d loader: moby/moby daemon/pkg/registry/registry.go loadTLSConfig @ b985e2313a
 * (pull, push, login, search; `docker login` on every version). loader-semantics §3.
 *
 * The directory is listed and walked in Go's byte-wise name order. By extension (case-sensitive, after the last
 * dot): `.crt` is read and its PEM certificates appended to the pool, whether or not any were (a DER or empty file
 * adds nothing, silently); `.cert` needs a `.key` of the same base name *in the listing*, then goes through
 * tls.LoadX509KeyPair; `.key` needs its `.cert` in the listing. Everything else is ignored. The first error ends the
 * load and fails the whole operation, returned to the CLI as `Error response from daemon: <error>`.
 *
 * Before any of this, the daemon skips certs.d entirely for registries it considers insecure: Docker Hub, and any
 * host in 127.0.0.0/8 (or ::1 from v28), which includes `localhost`.
 */
import { appendCertsFromPem, x509KeyPair } from "../material/go-tls.js";
import { explainNoCertificate } from "../material/explain.js";
import type { Entry } from "../scan/types.js";
import { type DockerEngine, dockerEngine } from "./docker-engine.js";
import { goReadFile } from "./go-read.js";
import type { HostMaterial } from "../material/host.js";
import type { EntryVerdict, IgnoredFile, RuntimeOutcome } from "./types.js";

/** Go's filepath.Ext: from the last dot of the name, dot included; "" when there is none. */
export function goExt(name: string): string {
  const i = name.lastIndexOf(".");
  return i < 0 ? "" : name.slice(i);
}

const DAEMON_PREFIX = "Error response from daemon: ";

function hostPart(dirName: string): string {
  // net.SplitHostPort, or the whole name when it has no port.
  const bracket = /^\[([^\]]*)\](?::\d*)?$/.exec(dirName);
  if (bracket) return bracket[1]!;
  const colons = dirName.split(":").length - 1;
  if (colons === 1) return dirName.slice(0, dirName.indexOf(":"));
  return dirName;
}

function isIPv4Loopback(h: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((o) => Number(o) <= 255) && Number(m[1]) === 127;
}

function isIPv6Loopback(h: string): boolean {
  return /^(0{0,4}:){2,7}0{0,3}1$/i.test(h) || h === "::1" || /^::ffff:127\./i.test(h);
}

/** Why dockerd never reads this host directory, or null when it does. */
export function dockerNotReadReason(dirName: string, engine: DockerEngine): string | null {
  if (dirName === "docker.io" || dirName === "index.docker.io") {
    return "Docker Hub: dockerd builds Hub's TLS settings without consulting certs.d (only registry mirrors have their own directories)";
  }
  const h = hostPart(dirName);
  if (h.toLowerCase() === "localhost" || isIPv4Loopback(h)) {
    return `${h} is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate`;
  }
  if (engine.ipv6LoopbackInsecure && isIPv6Loopback(h)) {
    return `${h} is ::1, which dockerd (v28 and later) always treats as an insecure registry: it skips certs.d for it`;
  }
  return null;
}

/** What the classic loader does with one entry, independent of what precedes it. */
function entryVerdict(hm: HostMaterial, entry: Entry, engine: DockerEngine): EntryVerdict {
  const file = entry.name;
  const listed = (name: string) => hm.host.entries.some((e) => e.name === name);
  const ext = goExt(file);
  if (ext === ".crt") {
    const r = goReadFile(hm, entry);
    if (r.kind === "error") return { file, role: "ca", error: r.error, cause: "read" };
    if (r.kind === "undetermined") return { file, role: "undetermined", error: null, detail: r.detail };
    const pool = appendCertsFromPem(r.material, engine.go);
    return {
      file,
      role: "ca",
      error: null,
      certificates: pool.added.length,
      skipped: pool.skipped,
      ...(pool.added.length === 0 ? { detail: explainNoCertificate(r.material, pool) } : {}),
    };
  }
  if (ext === ".cert") {
    const key = `${file.slice(0, -".cert".length)}.key`;
    if (!listed(key)) return { file, role: "client-certificate", partner: key, error: engine.wording.missingKey(key, file), cause: "missing-partner" };
    // tls.LoadX509KeyPair: read the certificate file, then the key file, then X509KeyPair.
    const certRead = goReadFile(hm, entry);
    if (certRead.kind === "error") return { file, role: "client-certificate", partner: key, error: certRead.error, cause: "read" };
    if (certRead.kind === "undetermined") return { file, role: "undetermined", error: null, detail: certRead.detail };
    const keyEntry = hm.host.entries.find((e) => e.name === key)!;
    const keyRead = goReadFile(hm, keyEntry);
    if (keyRead.kind === "error") return { file, role: "client-certificate", partner: key, error: keyRead.error, cause: "read" };
    if (keyRead.kind === "undetermined") return { file, role: "undetermined", error: null, detail: keyRead.detail };
    const pair = x509KeyPair(certRead.material, keyRead.material, engine.go);
    return pair.ok
      ? { file, role: "client-certificate", partner: key, error: null }
      : { file, role: "client-certificate", partner: key, error: pair.error, cause: pair.stage };
  }
  if (ext === ".key") {
    const cert = `${file.slice(0, -".key".length)}.cert`;
    if (listed(cert)) return { file, role: "client-key", partner: cert, error: null };
    return { file, role: "client-key", partner: cert, error: engine.wording.missingCertificate(cert, file), cause: "missing-partner" };
  }
  return { file, role: "ignored", error: null, detail: `Docker reads only *.crt, *.cert and *.key; "${ext || file}" is not one of them` };
}

/** The classic loader alone (no insecure-registry gate): what goloader -flavour docker reports. */
export function dockerClassicLoad(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  const outcome: RuntimeOutcome = {
    runtime: "docker",
    status: "ok",
    error: null,
    printed: null,
    errorFile: null,
    reason: null,
    caFiles: [],
    caCertificates: 0,
    clientPairs: [],
    ignored: [],
    unreached: [],
    verdicts: new Map(),
  };
  const { host } = hm;
  if (host.listError) {
    if (host.listError.code === "ENOENT") return outcome; // a missing directory loads nothing, without error
    if ((host.listError.code === "EACCES" || host.listError.code === "EPERM") && !host.readByRoot) {
      outcome.status = "undetermined";
      outcome.reason = `certsd-lint cannot list ${host.path} (${host.listError.goError}); a daemon running as root probably can`;
      return outcome;
    }
    return stop(outcome, host.listError.goError, null);
  }
  for (const entry of host.entries) outcome.verdicts.set(entry.name, entryVerdict(hm, entry, engine));
  let stopped = false;
  for (const entry of host.entries) {
    if (stopped) {
      outcome.unreached.push(entry.name);
      continue;
    }
    const v = outcome.verdicts.get(entry.name)!;
    if (v.error !== null) {
      stop(outcome, v.error, entry.name);
      stopped = true;
      continue;
    }
    switch (v.role) {
      case "undetermined":
        outcome.status = "undetermined";
        outcome.reason = v.detail ?? null;
        outcome.errorFile = entry.name;
        stopped = true;
        break;
      case "ca":
        if (v.certificates) {
          outcome.caFiles.push(entry.name);
          outcome.caCertificates += v.certificates;
        } else {
          outcome.ignored.push({ file: entry.name, reason: "no-certificate", detail: v.detail ?? "" });
        }
        break;
      case "client-certificate":
        outcome.clientPairs.push([entry.name, v.partner!]);
        break;
      case "ignored":
        outcome.ignored.push({ file: entry.name, reason: "extension", detail: v.detail ?? "" } satisfies IgnoredFile);
        break;
      case "client-key":
        break; // loaded through its .cert
    }
  }
  return outcome;
}

function stop(outcome: RuntimeOutcome, error: string, file: string | null): RuntimeOutcome {
  outcome.status = "error";
  outcome.error = error;
  outcome.printed = DAEMON_PREFIX + error;
  outcome.errorFile = file;
  return outcome;
}

/** dockerd (classic image store): the insecure-registry gate, then the loader. */
export function dockerOutcome(hm: HostMaterial, engine: DockerEngine = dockerEngine()): RuntimeOutcome {
  const loaded = dockerClassicLoad(hm, engine);
  const notRead = dockerNotReadReason(hm.host.name, engine);
  if (!notRead) return loaded;
  // Keep the per-entry verdicts: the same directory is read by other clients (docker CLI, podman).
  return {
    ...loaded,
    status: "not-read",
    error: null,
    printed: null,
    errorFile: null,
    reason: notRead,
    caFiles: [],
    caCertificates: 0,
    clientPairs: [],
    ignored: [],
    unreached: [],
  };
}
