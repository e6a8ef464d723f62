/**
 * The classic certs.d loader, as moby (daemon/pkg/registry/registry.go loadTLSConfig @ b985e2313a) and, in a
 * separately maintained copy, containers/image (pkg/tlsclientconfig/tlsclientconfig.go SetupCertificates
 * @ df7e80d2d1) implement it.
 *
 * The directory is listed and walked in Go's byte-wise name order. By extension (case-sensitive, the text after the
 * last dot): `.crt` is read and its PEM certificates appended to the pool, whether or not any were (a DER or empty
 * file adds nothing, silently); `.cert` needs a `.key` of the same base name *in the listing*, then goes through
 * tls.LoadX509KeyPair; `.key` needs its `.cert` in the listing. Everything else is ignored. The first error ends
 * the load and fails the whole operation.
 *
 * containers/image differs in its wording and in two leniencies: a `.crt` that does not exist (a dangling link) is
 * skipped with a logged warning, and a directory it may not list is skipped (debug log only).
 */
import { goQuote } from "../material/go-format.js";
import type { GoProfile } from "../material/go-profile.js";
import { appendCertsFromPem, x509KeyPair } from "../material/go-tls.js";
import { explainNoCertificate } from "../material/explain.js";
import type { HostMaterial } from "../material/host.js";
import { CA_EXT, CERT_EXT, certNameOf, goExt, KEY_EXT, keyNameOf } from "../scan/names.js";
import type { Entry } from "../scan/types.js";
import { goReadFile } from "./go-read.js";
import { emptyOutcome, type EntryVerdict, type RuntimeId, type RuntimeOutcome } from "./types.js";

export interface ClassicFlavour {
  runtime: RuntimeId;
  /** The process that reads the files, in sentences ("dockerd"). */
  reader: string;
  missingKey(key: string, cert: string): string;
  missingCertificate(cert: string, key: string): string;
  go: GoProfile;
  /** containers/image: a `.crt` that does not exist is skipped, with a warning logged. */
  skipMissingCrt: boolean;
  /** containers/image: a directory it may not list is skipped. */
  skipUnlistable: boolean;
  /** The error as the user sees it, with the program's wrapping, for the registry host the directory serves. */
  printed(error: string, host: string): string;
}

/** What the loader does with one entry, independent of what precedes it. */
function entryVerdict(hm: HostMaterial, entry: Entry, f: ClassicFlavour): EntryVerdict {
  const file = entry.name;
  const listed = (name: string) => hm.host.entries.some((e) => e.name === name);
  const ext = goExt(file);
  if (ext === CA_EXT) {
    const r = goReadFile(hm, entry, {
      reader: f.reader,
      go: f.go,
      then: "appends the PEM certificates in it to the CA pool (a file holding none adds nothing, silently)",
    });
    if (r.kind === "error") {
      if (f.skipMissingCrt && r.notExist) {
        return {
          file,
          role: "ignored",
          ignore: "skipped",
          error: null,
          detail: `${file} does not exist (a dangling symlink): skipped with a warning`,
        };
      }
      return { file, role: "ca", error: r.error, cause: "read" };
    }
    if (r.kind === "undetermined") return { file, role: "undetermined", error: null, detail: r.detail };
    const pool = appendCertsFromPem(r.material, f.go);
    return {
      file,
      role: "ca",
      error: null,
      certificates: pool.added.length,
      skipped: pool.skipped,
      ...(pool.added.length === 0 ? { detail: explainNoCertificate(r.material, pool) } : {}),
    };
  }
  if (ext === CERT_EXT) {
    const key = keyNameOf(file);
    if (!listed(key))
      return {
        file,
        role: "client-certificate",
        partner: key,
        error: f.missingKey(key, file),
        cause: "missing-partner",
      };
    // tls.LoadX509KeyPair: read the certificate file, then the key file, then X509KeyPair.
    const pairUse = { reader: f.reader, go: f.go, then: `passes it to tls.LoadX509KeyPair with its partner` };
    const certRead = goReadFile(hm, entry, pairUse);
    if (certRead.kind === "error")
      return { file, role: "client-certificate", partner: key, error: certRead.error, cause: "read" };
    if (certRead.kind === "undetermined") return { file, role: "undetermined", error: null, detail: certRead.detail };
    const keyRead = goReadFile(
      hm,
      hm.host.entries.find((e) => e.name === key)!,
      pairUse,
    );
    if (keyRead.kind === "error")
      return { file, role: "client-certificate", partner: key, error: keyRead.error, cause: "read" };
    if (keyRead.kind === "undetermined") return { file, role: "undetermined", error: null, detail: keyRead.detail };
    const pair = x509KeyPair(certRead.material, keyRead.material, f.go);
    return pair.ok
      ? { file, role: "client-certificate", partner: key, error: null }
      : { file, role: "client-certificate", partner: key, error: pair.error, cause: pair.stage };
  }
  if (ext === KEY_EXT) {
    const cert = certNameOf(file);
    if (listed(cert)) return { file, role: "client-key", partner: cert, error: null };
    return {
      file,
      role: "client-key",
      partner: cert,
      error: f.missingCertificate(cert, file),
      cause: "missing-partner",
    };
  }
  return {
    file,
    role: "ignored",
    ignore: "extension",
    error: null,
    detail: `only *.crt, *.cert and *.key are read; "${ext || file}" is not one of them`,
  };
}

/** The loader alone: what goloader reports for the same directory. */
export function classicLoad(hm: HostMaterial, f: ClassicFlavour): RuntimeOutcome {
  const outcome = emptyOutcome(f.runtime);
  const { host } = hm;
  if (host.listError) {
    const { code } = host.listError;
    if (code === "ENOENT") return outcome; // a missing directory loads nothing, without error
    const permission = code === "EACCES" || code === "EPERM";
    if (permission && f.skipUnlistable) {
      outcome.status = "not-read";
      outcome.reason = `${host.path} cannot be listed (${host.listError.goError}): it is skipped, with a debug message only`;
      return outcome;
    }
    if (permission && !host.readByRoot) {
      outcome.status = "undetermined";
      outcome.reason = `certsd-lint cannot list ${host.path} (${host.listError.goError}); a daemon running as root probably can`;
      return outcome;
    }
    return stop(outcome, f, host.listError.goError, null, host.name);
  }
  for (const entry of host.entries) outcome.verdicts.set(entry.name, entryVerdict(hm, entry, f));
  let stopped = false;
  for (const entry of host.entries) {
    if (stopped) {
      outcome.unreached.push(entry.name);
      continue;
    }
    const v = outcome.verdicts.get(entry.name)!;
    if (v.error !== null) {
      stop(outcome, f, v.error, entry.name, host.name);
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
        if (v.ignore === "skipped") {
          // containers/image's dangling .crt: skipped, and said so in a warning.
          const err = entry.content.status === "error" ? entry.content.error.goError : "";
          outcome.logged.push({
            kind: "crt-read",
            level: "warning",
            message: `error reading certificate ${goQuote(entry.path)}: ${err}`,
          });
        }
        outcome.ignored.push({ file: entry.name, reason: v.ignore ?? "extension", detail: v.detail ?? "" });
        break;
      default:
        break; // a key is loaded through its .cert
    }
  }
  return outcome;
}

function stop(
  outcome: RuntimeOutcome,
  f: ClassicFlavour,
  error: string,
  file: string | null,
  host: string,
): RuntimeOutcome {
  outcome.status = "error";
  outcome.error = error;
  outcome.printed = f.printed(error, host);
  outcome.errorFile = file;
  return outcome;
}
