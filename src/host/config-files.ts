/**
 * The daemons' configuration files, read and judged as each daemon reads them: dockerd's daemon.json, containerd's
 * config.toml, containers/image's registries.conf and registries.conf.d. Pure: each function takes the file's bytes.
 */
import { goTomlParse } from "../material/go-toml.js";
import { goJsonScan, goJsonSyntaxError } from "./go-json.js";

/** A configuration file as found on the host. */
export interface ConfigFile {
  /** As the machine sees it. */
  path: string;
  /** The daemon's own error when it refuses the file (verbatim where `verbatim`), else null. */
  error: string | null;
  verbatim: boolean;
}

export interface DaemonJson extends ConfigFile {
  insecureRegistries: string[];
  /** Hosts (host[:port]) of registry-mirrors. */
  mirrors: string[];
  /** features.containerd-snapshotter, when set. */
  containerdSnapshotter: boolean | null;
}

/** The host of a mirror URL as dockerd's ValidateMirror keeps it (scheme http/https, a host, no path). */
function mirrorHost(u: string): string | null {
  const m = /^https?:\/\/([^/?#]+)\/?$/i.exec(u.trim());
  return m ? m[1]!.replace(/^.*@/, "") : null;
}

function strings(v: unknown): string[] | null {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? v : null;
}

/**
 * daemon.json as the dockerd of `dockerVersion` reads it (daemon/config/config.go getConflictFreeConfiguration, whose
 * error daemon/command/daemon.go loadDaemonCliConfig wraps as `unable to configure the Docker daemon with file
 * <path>: …`; dockerd then does not start):
 * - before v23 (v20.10.24): the bytes as they are, through json.NewDecoder: an empty file is `EOF`, a byte-order mark
 *   `invalid character 'ï' looking for beginning of value`, a truncated one `unexpected EOF`;
 * - v23.0.0 to v29.7.1: a UTF-8 or UTF-16 byte-order mark decoded away (unicode.BOMOverride), white space trimmed,
 *   an empty file an empty configuration, then json.Unmarshal's own text;
 * - from v29.7.2 (moby fa0114c41d; master @ b985e2313a): the same with `invalid JSON: ` before the text. A bare
 *   "29" is the latest 29.x.
 * A file that is not valid UTF-8 (refused by v23+ as `failed to decode configuration JSON at offset N`) is not judged.
 */
export function readDaemonJson(path: string, data: Buffer, dockerVersion = "29"): DaemonJson {
  const v = /^v?(\d+)(?:\.(\d+)(?:\.(\d+))?)?/.exec(dockerVersion.trim());
  const major = Number(v?.[1] ?? 29);
  // `invalid JSON: ` from docker-v29.7.2; "29" or "29.7" alone means the newest of them.
  const prefixed =
    major > 29 ||
    (major === 29 && (v?.[2] === undefined || Number(v[2]) > 7 || (Number(v[2]) === 7 && Number(v[3] ?? 99) >= 2)));
  const out: DaemonJson = {
    path,
    error: null,
    verbatim: true,
    insecureRegistries: [],
    mirrors: [],
    containerdSnapshotter: null,
  };
  const refused = (text: string) => `unable to configure the Docker daemon with file ${path}: ${text}`;
  let trimmed: string;
  if (major < 23) {
    const { error, end } = goJsonScan(data, "decoder");
    if (error) {
      out.error = refused(error);
      return out;
    }
    // The Decoder reads the first value only: anything after it is never looked at.
    trimmed = data.subarray(0, end).toString("utf8").trim();
  } else {
    let text = data;
    if (text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) text = text.subarray(3);
    else if (text[0] === 0xff && text[1] === 0xfe) text = Buffer.from(text.subarray(2).toString("utf16le"), "utf8");
    else if (text[0] === 0xfe && text[1] === 0xff) text = Buffer.from(text.subarray(2).swap16().toString("utf16le"));
    trimmed = text.toString("utf8").trim();
    if (trimmed === "") return out;
    const syntax = goJsonSyntaxError(Buffer.from(trimmed));
    if (syntax) {
      out.error = refused(prefixed ? `invalid JSON: ${syntax}` : syntax);
      return out;
    }
  }
  const doc = JSON.parse(trimmed) as Record<string, unknown>;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    out.error = `${path}: not a JSON object`;
    out.verbatim = false;
    return out;
  }
  const insecure = doc["insecure-registries"];
  if (insecure !== undefined) {
    const list = strings(insecure);
    if (!list) {
      out.error = `${path}: insecure-registries is not a list of strings (dockerd refuses the file)`;
      out.verbatim = false;
    } else out.insecureRegistries = list;
  }
  const mirrors = doc["registry-mirrors"];
  if (mirrors !== undefined) {
    const list = strings(mirrors);
    if (!list) {
      out.error = `${path}: registry-mirrors is not a list of strings (dockerd refuses the file)`;
      out.verbatim = false;
    } else out.mirrors = list.map(mirrorHost).filter((h): h is string => h !== null);
  }
  const features = doc.features;
  if (features && typeof features === "object" && !Array.isArray(features)) {
    const v = (features as Record<string, unknown>)["containerd-snapshotter"];
    if (typeof v === "boolean") out.containerdSnapshotter = v;
  }
  return out;
}

/**
 * insecure-registries split as dockerd's loadInsecureRegistries does (daemon/pkg/registry/config.go @ b985e2313a):
 * an `http://`/`https://` prefix is dropped, a CIDR goes to the CIDR list, anything else is an exact index name.
 */
export function splitInsecure(list: readonly string[]): { names: string[]; cidrs: string[] } {
  const names: string[] = [];
  const cidrs: string[] = [];
  for (const raw of list) {
    const r = raw.replace(/^https?:\/\//i, "");
    if (/^[0-9.]+\/\d+$/.test(r) || /^[0-9a-f:]+\/\d+$/i.test(r)) cidrs.push(r);
    else names.push(r);
  }
  return { names, cidrs };
}

export interface ContainerdConfig extends ConfigFile {
  /** The config file's `version` (1 when absent, as containerd 1.x reads it; 2.x migrates it). */
  version: number;
  /** config_path as written, or null when not set. */
  configPath: string | null;
  /** Where it was found (`plugins."io.containerd.grpc.v1.cri".registry`). */
  section: string | null;
  /** Legacy `registry.mirrors` or `registry.configs` present beside it. */
  legacyMirrors: boolean;
  /** CRI's use_local_image_pull (v2.1+: false means the transfer service pulls). */
  localPull: boolean | null;
  /** disabled_plugins names the CRI plugin. */
  criDisabled: boolean;
}

function table(doc: unknown, ...keys: string[]): Record<string, unknown> | null {
  let t: unknown = doc;
  for (const k of keys) {
    if (!t || typeof t !== "object") return null;
    t = (t as Record<string, unknown>)[k];
  }
  return t && typeof t === "object" && !Array.isArray(t) ? (t as Record<string, unknown>) : null;
}

/**
 * containerd's config.toml: where config_path sits per version (loader-semantics §9.1, field-failures R13): v1
 * `[plugins.cri.registry]`, v2 `[plugins."io.containerd.grpc.v1.cri".registry]`, v3
 * `[plugins."io.containerd.cri.v1.images".registry]`. Parsed with go-toml v2's reading (containerd 2.x); v1
 * documents are read the same way.
 */
export function readContainerdConfig(path: string, data: Buffer): ContainerdConfig {
  const out: ContainerdConfig = {
    path,
    error: null,
    verbatim: false,
    version: 1,
    configPath: null,
    section: null,
    legacyMirrors: false,
    localPull: null,
    criDisabled: false,
  };
  const parsed = goTomlParse(data, 2);
  if (!parsed.ok) {
    out.error = parsed.error.text;
    out.verbatim = parsed.error.verbatim;
    return out;
  }
  const doc = parsed.doc;
  out.version = typeof doc.version === "number" ? doc.version : Number(doc.version ?? 1) || 1;
  const sections: Array<[string, string[]]> =
    out.version >= 3
      ? [['plugins."io.containerd.cri.v1.images".registry', ["plugins", "io.containerd.cri.v1.images", "registry"]]]
      : out.version === 2
        ? [['plugins."io.containerd.grpc.v1.cri".registry', ["plugins", "io.containerd.grpc.v1.cri", "registry"]]]
        : [
            ["plugins.cri.registry", ["plugins", "cri", "registry"]],
            ['plugins."io.containerd.grpc.v1.cri".registry', ["plugins", "io.containerd.grpc.v1.cri", "registry"]],
          ];
  for (const [name, keys] of sections) {
    const reg = table(doc, ...keys);
    if (!reg) continue;
    if (typeof reg.config_path === "string") {
      out.configPath = reg.config_path;
      out.section = name;
    }
    if (reg.mirrors !== undefined || reg.configs !== undefined) out.legacyMirrors = true;
  }
  const disabled = Array.isArray(doc.disabled_plugins) ? (doc.disabled_plugins as unknown[]) : [];
  out.criDisabled = disabled.some((d) => d === "cri" || d === "io.containerd.grpc.v1.cri");
  const images = table(doc, "plugins", "io.containerd.cri.v1.images");
  if (images && typeof images.use_local_image_pull === "boolean") out.localPull = images.use_local_image_pull;
  return out;
}

export interface RegistriesConf extends ConfigFile {
  /** Locations (host[:port][/path]) marked insecure. */
  insecure: string[];
}

/**
 * containers/image's registries.conf (v2 `[[registry]]` tables with `location` or `prefix` and `insecure`; v1
 * `[registries.insecure] registries = […]`). `insecure = true` only skips verification: certs.d is still read
 * (loader-semantics §8.1).
 */
export function readRegistriesConf(path: string, data: Buffer): RegistriesConf {
  const out: RegistriesConf = { path, error: null, verbatim: false, insecure: [] };
  const parsed = goTomlParse(data, 2);
  if (!parsed.ok) {
    out.error = parsed.error.text;
    out.verbatim = false;
    return out;
  }
  const regs = parsed.doc.registry;
  if (Array.isArray(regs)) {
    for (const r of regs as Array<Record<string, unknown>>) {
      const loc = typeof r.location === "string" ? r.location : typeof r.prefix === "string" ? r.prefix : null;
      if (loc && r.insecure === true) out.insecure.push(loc);
    }
  }
  const v1 = table(parsed.doc, "registries", "insecure");
  if (v1 && Array.isArray(v1.registries)) out.insecure.push(...v1.registries.filter((x) => typeof x === "string"));
  return out;
}
