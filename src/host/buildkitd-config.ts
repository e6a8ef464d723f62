/**
 * A buildkitd.toml's registry tables, and whether the files they name hold what buildkitd needs (field-failures R19:
 * C125 keypair table not matching the host, C148 a docker-container builder that only a buildkitd.toml can give a
 * CA). What buildkitd does with them, at moby/buildkit @ 73ed6825c4b7:
 * - cmd/buildkitd/config/load.go Load: go-toml v2 decoding, errors wrapped `failed to parse config: `;
 * - util/resolver/config/config.go RegistryConfig: `ca`, `keypair` (key, cert), `tlsconfigdir`, `insecure`, `http`;
 * - util/resolver/resolver.go NewRegistryConfig: the table is found by `m[host]`, the registry's exact host[:port]
 *   (`docker.io` for Docker Hub), so a key with a scheme or a path never matches; loadTLSConfig, run when a build
 *   first resolves that registry (not at start): each CA is os.ReadFile'd (`failed to read %s`, wrapping the open
 *   error) and given to AppendCertsFromPEM, whose result is ignored (a file without a certificate adds nothing,
 *   silently); each keypair goes to tls.LoadX509KeyPair (`failed to load keypair for %s`, the cert path).
 * docker/buildx @ 461836ba0fcb util/confutil/container.go LoadConfigFiles reads the same files on the client at
 * `docker buildx create --config` (`failed to read CA file: %s`, `failed to read key file: %s`, `failed to read cert
 * file: %s`) and copies them into the builder as certs/<key with [^a-zA-Z0-9.-]+ replaced by _>/<base name>.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { GoProfile } from "../material/go-profile.js";
import { goTomlParse } from "../material/go-toml.js";
import { appendCertsFromPem, x509KeyPair } from "../material/go-tls.js";
import { decodeMaterial, type FileMaterial } from "../material/material.js";
import type { BuildkitdRegistry } from "../runtimes/engines.js";

export interface BuildkitdToml {
  error: string | null;
  /** Whether `error` is go-toml's exact text. */
  verbatim: boolean;
  registries: BuildkitdRegistry[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);

/** The `[registry."host"]` tables of a buildkitd.toml, as Load decodes them. */
export function parseBuildkitdToml(data: Buffer): BuildkitdToml {
  const parsed = goTomlParse(data, 2);
  if (!parsed.ok)
    return { error: `failed to parse config: ${parsed.error.text}`, verbatim: parsed.error.verbatim, registries: [] };
  const reg = parsed.doc.registry;
  const registries: BuildkitdRegistry[] = [];
  if (reg && typeof reg === "object" && !Array.isArray(reg))
    for (const [host, raw] of Object.entries(reg as Record<string, unknown>)) {
      const t = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
      const pairs = Array.isArray(t.keypair) ? (t.keypair as unknown[]) : [];
      registries.push({
        host,
        ca: strings(t.ca),
        keypairs: pairs.map((p) => {
          const o = p && typeof p === "object" ? (p as Record<string, unknown>) : {};
          return { key: typeof o.key === "string" ? o.key : "", cert: typeof o.cert === "string" ? o.cert : "" };
        }),
        tlsConfigDirs: strings(t.tlsconfigdir),
        insecure: bool(t.insecure),
        http: bool(t.http),
      });
    }
  return { error: null, verbatim: true, registries };
}

/** What is wrong with one registry table, and buildkitd's words for it. */
export interface BuildkitdProblem {
  /** The table's key. */
  host: string;
  kind: "key-not-a-host" | "ca-unreadable" | "ca-no-certificate" | "keypair-unreadable" | "keypair-invalid";
  /** The file concerned, as the configuration writes it (and as buildkitd prints it). */
  file: string | null;
  /** What buildkitd says when it first resolves the registry (verbatim where `verbatim`). */
  buildkitd: string | null;
  /** What `docker buildx create --config` says on the client, when it says something. */
  buildx: string | null;
  detail: string;
}

export interface BuildkitdCheck {
  /** The file as given, and as looked up. */
  path: string;
  realPath: string;
  /** Reading or parsing the file failed: `docker buildx create --config`'s words. */
  error: string | null;
  /** buildkitd's words when it refuses to start with the file (a missing --config file it starts without). */
  buildkitdError: string | null;
  registries: BuildkitdRegistry[];
  problems: BuildkitdProblem[];
}

/** Go's *PathError text for a failed open (os.ReadFile, tls.LoadX509KeyPair). */
function openError(p: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const text =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : code === "ENOTDIR"
            ? "not a directory"
            : ((e as Error).message ?? String(e));
  // A directory opens; reading it fails (`read <p>: is a directory`).
  return code === "EISDIR" ? `read ${p}: ${text}` : `open ${p}: ${text}`;
}

function readAt(p: string, cwd: string): { data: Buffer } | { error: string } {
  const real = path.resolve(cwd, p);
  try {
    if (statSync(real).isDirectory()) return { error: `read ${p}: is a directory` };
    return { data: readFileSync(real) };
  } catch (e) {
    return { error: openError(p, e) };
  }
}

/**
 * Checks a buildkitd.toml the way buildkitd (and `docker buildx create --config`) will read it: relative paths are
 * relative to the working directory (buildkitd's, or the shell's at `buildx create`), here `cwd`.
 */
export function checkBuildkitdConfig(file: string, cwd: string, go: GoProfile): BuildkitdCheck {
  const realPath = path.resolve(cwd, file);
  const out: BuildkitdCheck = { path: file, realPath, error: null, buildkitdError: null, registries: [], problems: [] };
  let data: Buffer;
  try {
    if (statSync(realPath).isDirectory()) {
      out.error = `failed to read buildkit configuration file: ${file}: read ${file}: is a directory`;
      out.buildkitdError = `failed to parse config: read ${file}: is a directory`;
      return out;
    }
    data = readFileSync(realPath);
  } catch (e) {
    // buildx LoadConfigFiles' os.Stat check (buildkitd itself starts without a missing config: LoadFile returns {}).
    const code = (e as NodeJS.ErrnoException).code;
    out.error =
      code === "ENOENT"
        ? `buildkit configuration file not found: ${file}: stat ${file}: no such file or directory`
        : `invalid buildkit configuration file: ${file}: ${openError(file, e).replace(/^open/, "stat")}`;
    return out;
  }
  const parsed = parseBuildkitdToml(data);
  if (parsed.error) {
    out.error = `failed to load buildkit configuration file: ${file}: ${parsed.error}`;
    out.buildkitdError = parsed.error;
    return out;
  }
  out.registries = parsed.registries;
  const materials = new Map<string, { material: FileMaterial } | { error: string }>();
  const material = (p: string) => {
    let m = materials.get(p);
    if (!m) {
      const r = readAt(p, cwd);
      m = "error" in r ? r : { material: decodeMaterial(r.data, go) };
      materials.set(p, m);
    }
    return m;
  };
  for (const r of parsed.registries) {
    if (/:\/\/|\//.test(r.host))
      out.problems.push({
        host: r.host,
        kind: "key-not-a-host",
        file: null,
        buildkitd: null,
        buildx: null,
        detail:
          `buildkitd looks a registry's table up by its host[:port] alone; ` +
          `[registry."${r.host}"] never matches a pull or push`,
      });
    for (const ca of r.ca) {
      const m = material(ca);
      if ("error" in m) {
        out.problems.push({
          host: r.host,
          kind: "ca-unreadable",
          file: ca,
          buildkitd: `failed to read ${ca}: ${m.error}`,
          buildx: `failed to read CA file: ${ca}: ${m.error}`,
          detail: m.error,
        });
        continue;
      }
      if (appendCertsFromPem(m.material, go).added.length === 0)
        out.problems.push({
          host: r.host,
          kind: "ca-no-certificate",
          file: ca,
          buildkitd: null,
          buildx: null,
          detail: "AppendCertsFromPEM takes no certificate from it (no PEM CERTIFICATE block Go can parse)",
        });
    }
    for (const kp of r.keypairs) {
      const cert = material(kp.cert);
      const key = material(kp.key);
      const unreadable = "error" in cert ? cert.error : "error" in key ? key.error : null;
      if (unreadable !== null) {
        // buildkitd's tls.LoadX509KeyPair reads the certificate first, then the key; buildx's LoadConfigFiles
        // (util/confutil/container.go) copies the key file first, then the certificate.
        const which = "error" in cert ? kp.cert : kp.key;
        const [bxFile, bxError] = "error" in key ? [kp.key, key.error] : [kp.cert, unreadable];
        out.problems.push({
          host: r.host,
          kind: "keypair-unreadable",
          file: which,
          buildkitd: `failed to load keypair for ${kp.cert}: ${unreadable}`,
          buildx: `failed to read ${bxFile === kp.key ? "key" : "cert"} file: ${bxFile}: ${bxError}`,
          detail: unreadable,
        });
        continue;
      }
      const pair = x509KeyPair(
        (cert as { material: FileMaterial }).material,
        (key as { material: FileMaterial }).material,
        go,
      );
      if (!pair.ok)
        out.problems.push({
          host: r.host,
          kind: "keypair-invalid",
          file: pair.stage === "key-input" || pair.stage === "key-parse" ? kp.key : kp.cert,
          buildkitd: `failed to load keypair for ${kp.cert}: ${pair.error}`,
          buildx: null,
          detail: pair.error,
        });
    }
  }
  return out;
}
