/**
 * containerd's hosts.toml, decoded as containerd does it (containerd/containerd core/remotes/docker/config/hosts.go:
 * parseHostsFile, parseHostConfig, getSortedHosts, @ 301026e58c, byte-identical to v2.3.4):
 *
 * - `[host."<url>"]` tables are taken in file order, from their table headers only (getSortedHosts): a host given
 *   with dotted keys or an inline table is decoded but never used;
 * - the document is unmarshalled into typed fields (go-toml v2: keys matched case-insensitively, unknown keys
 *   dropped silently, a value of the wrong TOML type is an error);
 * - each host is then validated with containerd's own messages (`unknown capability %v`, `invalid type %v for "ca"`,
 *   `invalid pair %v for "client"`, `unable to cast %v to string`, `unable to parse server %v: %w`, ...), and the
 *   top-level `server` entry comes last.
 *
 * TOML syntax errors and go-toml's type-mismatch messages are rendered by certsd-lint (`verbatim: false`);
 * containerd's own validation messages are exact.
 */
import path from "node:path";
import { parse, TomlDate, TomlError } from "smol-toml";
import { goParseDuration, goQuote, goT, goV } from "./go-format.js";
import { goUrlParse } from "./go-url.js";
import { closest, editDistance } from "../suggest.js";

export interface ContainerdFeatures {
  /** "referrers" is a capability from containerd v2.2.0. */
  referrers: boolean;
  /** dial_timeout is a key from v2.1.0 (before, an unknown key: ignored). */
  dialTimeout: boolean;
  /**
   * containerd v1.x parsed with go-toml v1: a syntax error is `failed to parse TOML: %w`, a file without a `host`
   * table fails with "invalid `host` tree" (containerd#10027), and hosts are ordered by the line they are defined on,
   * dotted keys included.
   */
  goTomlV1?: boolean;
}

export interface HostEndpoint {
  /** As written: the `[host."..."]` key, or the top-level `server` ("" when absent: the implicit upstream). */
  server: string;
  scheme: string;
  host: string;
  path: string;
  capabilities: string[];
  /** Absolute paths; null when `ca` is not set. */
  caCerts: string[] | null;
  /** [certificate, key]; key "" means the certificate file holds the key too. Null when `client` is not set. */
  clientPairs: Array<[string, string]> | null;
  skipVerify: boolean | null;
  headers: Record<string, string[]> | null;
  dialTimeout: string | null;
  /** 1-based line of the `[host."..."]` header; null for the top-level entry. */
  line: number | null;
}

export interface UnknownKey {
  /** Dotted path as written, e.g. `host."https://mirror".skip-verify`. */
  key: string;
  /** The known key it most resembles, if any. */
  suggestion: string | null;
}

export type HostsTomlParse =
  | { ok: true; endpoints: HostEndpoint[]; unknownKeys: UnknownKey[]; unusedHosts: string[] }
  | {
      ok: false;
      error: string;
      /** True for containerd's own messages; false for TOML syntax and type errors (worded by certsd-lint). */
      verbatim: boolean;
      stage: "syntax" | "type" | "validation";
      line: number | null;
    };

const HOST_KEYS = ["capabilities", "ca", "client", "skip_verify", "header", "override_path", "dial_timeout"] as const;
const TOP_KEYS = [...HOST_KEYS, "server", "host"] as const;

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}

function tomlTypeName(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "bigint") return "integer";
  if (typeof v === "number") return "float";
  if (typeof v === "boolean") return "boolean";
  if (Array.isArray(v)) return "array";
  if (v instanceof TomlDate)
    return v.isDate() ? "local date" : v.isTime() ? "local time" : v.isLocal() ? "local date-time" : "offset date-time";
  return "table";
}

class DecodeFailure extends Error {
  constructor(
    readonly text: string,
    readonly stage: "type" | "validation",
    readonly verbatim: boolean,
  ) {
    super(text);
  }
}

/** Keys from neighbouring formats (k3s registries.yaml, CRI's config.toml) that people carry into hosts.toml. */
const ALIASES: Record<string, string> = {
  ca_file: "ca",
  cert_file: "client",
  key_file: "client",
  insecure_skip_verify: "skip_verify",
  insecure: "skip_verify",
  endpoint: "server",
  endpoints: "host",
  mirrors: "host",
};

function suggest(key: string, known: readonly string[]): string | null {
  const norm = key.toLowerCase().replace(/-/g, "_");
  const alias = ALIASES[norm];
  if (alias && known.includes(alias)) return alias;
  // A plural or singular of a known key counts as that key.
  return closest(key, known, (k) => (norm === k || norm === `${k}s` || `${norm}s` === k ? 0 : editDistance(norm, k)));
}

/** go-toml v2's field lookup: the exact tag first, then a case-insensitive match. */
function field(table: Table, name: string): { key: string; value: unknown } | undefined {
  if (Object.hasOwn(table, name)) return { key: name, value: table[name] };
  const k = Object.keys(table).find((x) => x.toLowerCase() === name);
  return k === undefined ? undefined : { key: k, value: table[k] };
}

function typeError(what: string, v: unknown, goType: string): never {
  throw new DecodeFailure(`toml: cannot decode TOML ${tomlTypeName(v)} into ${what} of type ${goType}`, "type", false);
}

/** The typed part of hostFileConfig, as toml.Unmarshal fills it (type checks only). */
interface FileConfig {
  capabilities?: string[];
  ca?: unknown;
  client?: unknown;
  skipVerify?: boolean;
  header?: Table;
  overridePath?: boolean;
  dialTimeout?: string;
}

function decodeFileConfig(t: Table, where: string, features: ContainerdFeatures, unknown: UnknownKey[]): FileConfig {
  const c: FileConfig = {};
  const caps = field(t, "capabilities");
  if (caps) {
    if (!Array.isArray(caps.value)) typeError(`${where}.Capabilities`, caps.value, "[]string");
    for (const x of caps.value) if (typeof x !== "string") typeError(`${where}.Capabilities`, x, "string");
    c.capabilities = caps.value as string[];
  }
  const ca = field(t, "ca");
  if (ca) c.ca = ca.value;
  const client = field(t, "client");
  if (client) c.client = client.value;
  const sv = field(t, "skip_verify");
  if (sv) {
    if (typeof sv.value !== "boolean") typeError(`${where}.SkipVerify`, sv.value, "*bool");
    c.skipVerify = sv.value;
  }
  const header = field(t, "header");
  if (header) {
    if (!isTable(header.value)) typeError(`${where}.Header`, header.value, "map[string]interface {}");
    c.header = header.value;
  }
  const op = field(t, "override_path");
  if (op) {
    if (typeof op.value !== "boolean") typeError(`${where}.OverridePath`, op.value, "bool");
    c.overridePath = op.value;
  }
  const dt = features.dialTimeout ? field(t, "dial_timeout") : undefined;
  if (dt) {
    if (typeof dt.value !== "string") typeError(`${where}.DialTimeout`, dt.value, "string");
    c.dialTimeout = dt.value;
  }
  const known = features.dialTimeout ? HOST_KEYS : HOST_KEYS.filter((k) => k !== "dial_timeout");
  for (const key of Object.keys(t)) {
    if (where === "hostsFile" && (key.toLowerCase() === "server" || key.toLowerCase() === "host")) continue;
    if (known.some((k) => k === key.toLowerCase())) continue;
    unknown.push({
      key: where === "hostsFile" ? key : `host.${JSON.stringify(where.slice(5))}.${key}`,
      suggestion: suggest(key, where === "hostsFile" ? TOP_KEYS : known),
    });
  }
  return c;
}

function makeAbsPath(p: string, base: string): string {
  return path.isAbsolute(p) ? p : path.join(base, p);
}

function stringSlice(values: unknown[], cb?: (s: string) => string): string[] {
  return values.map((v) => {
    if (typeof v !== "string") throw new DecodeFailure(`unable to cast ${goV(v)} to string`, "validation", true);
    return cb ? cb(v) : v;
  });
}

/** parseHostConfig, with containerd's messages. */
function parseHostConfig(
  server: string,
  baseDir: string,
  c: FileConfig,
  features: ContainerdFeatures,
  line: number | null,
): HostEndpoint {
  const fail = (text: string): never => {
    throw new DecodeFailure(text, "validation", true);
  };
  const result: HostEndpoint = {
    server,
    scheme: "",
    host: "",
    path: "",
    capabilities: [],
    caCerts: null,
    clientPairs: null,
    skipVerify: c.skipVerify ?? null,
    headers: null,
    dialTimeout: null,
    line,
  };
  if (server !== "") {
    const full = server.startsWith("http") ? server : `https://${server}`;
    const u = goUrlParse(full);
    if ("error" in u) fail(`unable to parse server ${full}: ${u.error}`);
    const url = u as Exclude<typeof u, { error: string }>;
    result.scheme = url.scheme;
    result.host = url.host;
    let p = url.path;
    if (p.length > 0) {
      p = path.posix.normalize(p).replace(/\/+$/, "") || "/";
      if (!p.endsWith("/v2") && !c.overridePath) p += "/v2";
    } else if (!c.overridePath) p = "/v2";
    result.path = p;
  }
  const allowed = features.referrers ? ["pull", "resolve", "push", "referrers"] : ["pull", "resolve", "push"];
  if (c.capabilities && c.capabilities.length > 0) {
    for (const cap of c.capabilities) {
      const lc = cap.toLowerCase();
      if (!allowed.includes(lc)) fail(`unknown capability ${cap}`);
      if (!result.capabilities.includes(lc)) result.capabilities.push(lc);
    }
  } else {
    result.capabilities = ["pull", "resolve", "push"];
  }
  if (c.ca !== undefined) {
    if (typeof c.ca === "string") result.caCerts = [makeAbsPath(c.ca, baseDir)];
    else if (Array.isArray(c.ca)) result.caCerts = stringSlice(c.ca, (p) => makeAbsPath(p, baseDir));
    else fail(`invalid type ${goV(c.ca)} for "ca"`);
  }
  if (c.client !== undefined) {
    if (typeof c.client === "string") result.clientPairs = [[makeAbsPath(c.client, baseDir), ""]];
    else if (Array.isArray(c.client)) {
      result.clientPairs = [];
      for (const p of c.client) {
        if (typeof p === "string") result.clientPairs.push([makeAbsPath(p, baseDir), ""]);
        else if (Array.isArray(p)) {
          const slice = stringSlice(p, (s) => makeAbsPath(s, baseDir));
          if (slice.length !== 2) fail(`invalid pair ${goV(p)} for "client"`);
          result.clientPairs.push([slice[0]!, slice[1]!]);
        } else fail(`invalid type ${goT(p)} for "client"`);
      }
    } else fail(`invalid type ${goV(c.client)} for "client"`);
  }
  if (c.header !== undefined) {
    const headers: Record<string, string[]> = {};
    // Go ranges over a map: with several bad headers, which one is reported first is random; file order here.
    for (const [key, value] of Object.entries(c.header)) {
      if (typeof value === "string") headers[key] = [value];
      else if (Array.isArray(value)) headers[key] = stringSlice(value);
      else fail(`invalid type ${goV(value)} for header ${goQuote(key)}`);
    }
    result.headers = headers;
  }
  if (c.dialTimeout !== undefined && c.dialTimeout !== "") {
    const d = goParseDuration(c.dialTimeout);
    if ("error" in d) fail(d.error);
    result.dialTimeout = c.dialTimeout;
  }
  return result;
}

/** Key path of a TOML table header line ("[host."https://a".header]" → ["host", "https://a", "header"]). */
function headerKey(line: string): string[] | null {
  const m = /^\s*\[(?!\[)(.*)\]\s*(#.*)?$/.exec(line);
  if (!m) return null;
  const parts: string[] = [];
  let s = m[1]!.trim();
  while (s.length) {
    let part: string;
    if (s[0] === '"') {
      const end = /^"((?:[^"\\]|\\.)*)"/.exec(s);
      if (!end) return null;
      part = JSON.parse(`"${end[1]!}"`) as string;
      s = s.slice(end[0].length);
    } else if (s[0] === "'") {
      const end = s.indexOf("'", 1);
      if (end < 0) return null;
      part = s.slice(1, end);
      s = s.slice(end + 1);
    } else {
      const bare = /^[A-Za-z0-9_-]+/.exec(s);
      if (!bare) return null;
      part = bare[0];
      s = s.slice(part.length);
    }
    parts.push(part);
    s = s.trimStart();
    if (s.startsWith(".")) s = s.slice(1).trimStart();
    else if (s.length) return null;
  }
  return parts;
}

/**
 * getSortedHosts: the `[host.X]` table headers in file order (consecutive repeats, such as `[host.X.header]`
 * right after `[host.X]`, count once), with their line numbers. Lines inside multi-line strings are skipped.
 */
function sortedHosts(text: string): Array<{ host: string; line: number }> {
  const out: Array<{ host: string; line: number }> = [];
  let last = "";
  let inMulti: '"""' | "'''" | null = null;
  text.split(/\r?\n/).forEach((line, i) => {
    if (inMulti) {
      if (line.split(inMulti).length % 2 === 0) inMulti = null;
      return;
    }
    for (const q of ['"""', "'''"] as const) {
      if (line.split(q).length % 2 === 0) {
        inMulti = q;
        return;
      }
    }
    const parts = headerKey(line);
    if (!parts || parts.length < 2 || parts[0] !== "host" || parts[1] === last) return;
    last = parts[1]!;
    out.push({ host: last, line: i + 1 });
  });
  return out;
}

/** go-toml v1's order: every `host.X` by the line it first appears on, from a table header or a dotted key. */
function hostsByLine(text: string): Array<{ host: string; line: number }> {
  const first = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, i) => {
    const header = headerKey(line);
    let parts = header;
    if (!parts) {
      const dotted = /^\s*(host\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))\s*\./.exec(line);
      parts = dotted ? headerKey(`[${dotted[1]}]`) : null;
    }
    if (parts && parts.length >= 2 && parts[0] === "host" && !first.has(parts[1]!)) first.set(parts[1]!, i + 1);
  });
  return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([host, line]) => ({ host, line }));
}

/** Decodes a hosts.toml as containerd does. `baseDir` is the host directory (relative paths are joined to it). */
export function parseHostsToml(data: Buffer, baseDir: string, features: ContainerdFeatures): HostsTomlParse {
  const text = data.toString("utf8");
  let doc: Table;
  try {
    doc = parse(text, { integersAsBigInt: true });
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      const where = `(${e.line}, ${e.column}): ${first}`;
      return features.goTomlV1
        ? { ok: false, error: `failed to parse TOML: ${where}`, verbatim: false, stage: "syntax", line: e.line }
        : {
            ok: false,
            error: `toml: line ${e.line}, column ${e.column}: ${first}`,
            verbatim: false,
            stage: "syntax",
            line: e.line,
          };
    }
    return { ok: false, error: `toml: ${(e as Error).message}`, verbatim: false, stage: "syntax", line: null };
  }
  const unknownKeys: UnknownKey[] = [];
  if (features.goTomlV1 && !isTable(field(doc, "host")?.value)) {
    return { ok: false, error: "invalid `host` tree", verbatim: true, stage: "validation", line: null };
  }
  const ordered = features.goTomlV1 ? hostsByLine(text) : sortedHosts(text);
  try {
    const top = decodeFileConfig(doc, "hostsFile", features, unknownKeys);
    const server = field(doc, "server");
    if (server && typeof server.value !== "string") typeError("hostsFile.Server", server.value, "string");
    const hostField = field(doc, "host");
    if (hostField && !isTable(hostField.value))
      typeError("hostsFile.HostConfigs", hostField.value, "map[string]config.hostFileConfig");
    const hostTables = (hostField?.value as Table | undefined) ?? {};
    const configs = new Map<string, FileConfig>();
    for (const [name, value] of Object.entries(hostTables)) {
      if (!isTable(value)) typeError(`hostsFile.HostConfigs[${name}]`, value, "config.hostFileConfig");
      configs.set(name, decodeFileConfig(value, `host.${name}`, features, unknownKeys));
    }
    const endpoints: HostEndpoint[] = [];
    for (const { host, line } of ordered)
      endpoints.push(parseHostConfig(host, baseDir, configs.get(host) ?? {}, features, line));
    endpoints.push(parseHostConfig((server?.value as string | undefined) ?? "", baseDir, top, features, null));
    const listed = new Set(ordered.map((o) => o.host));
    for (const h of configs.keys()) {
      // go-toml v1 orders every host it holds; one missed by the line scan (an inline table) still counts.
      if (features.goTomlV1 && !listed.has(h))
        endpoints.splice(endpoints.length - 1, 0, parseHostConfig(h, baseDir, configs.get(h)!, features, null));
    }
    return {
      ok: true,
      endpoints,
      unknownKeys,
      unusedHosts: features.goTomlV1 ? [] : [...configs.keys()].filter((h) => !listed.has(h)),
    };
  } catch (e) {
    if (e instanceof DecodeFailure)
      return { ok: false, error: e.text, verbatim: e.verbatim, stage: e.stage, line: null };
    throw e;
  }
}
