/**
 * containerd's hosts.toml, decoded as containerd does it (containerd/containerd core/remotes/docker/config/hosts.go:
 * parseHostsFile, parseHostConfig, getSortedHosts, @ 301026e58c, byte-identical to v2.3.4; and v1.6.20's
 * remotes/docker/config/hosts.go for containerd 1.x):
 *
 * - the TOML is read by go-toml v2 (containerd >= 2.0) or v1 (1.x): their verdict and error texts (go-toml.ts);
 * - v2: `[host."<url>"]` tables are taken in file order, from their table headers only, and only under the key
 *   `host` spelt so (getSortedHosts): a host given with dotted keys, an inline table or `[Host."…"]` is decoded but
 *   never used; keys match struct tags case-insensitively;
 * - v1: the key `host` must exist, spelt so, and be a table (`invalid \`host\` tree`); every host in it is used,
 *   ordered by the line go-toml v1 puts it on; keys match only as the tag or in ALL-CAPS (marshal.go valueFromTree),
 *   so `Ca = …` is ignored;
 * - the document is unmarshalled into typed fields (unknown keys dropped silently, a value of the wrong TOML type is
 *   go-toml's type error);
 * - each host is then validated with containerd's own messages (`unknown capability %v`, `invalid type %v for "ca"`,
 *   `invalid pair %v for "client"`, `unable to cast %v to string`, `unable to parse server %v: %w`, ...), and the
 *   top-level `server` entry comes last.
 *
 * Errors are go-toml's or containerd's exact texts (`verbatim: true`) except the rarer TOML mistakes go-toml.ts does
 * not word as go-toml does, and a few type errors (`verbatim: false`); test/oracle/gotoml.test.ts checks the
 * verbatim ones against go-toml itself, and test/oracle/oracle.test.ts against the real ctr 1.6.
 */
import path from "node:path";
import { TomlDate } from "smol-toml";
import { goParseDuration, goQuote, goT, goV } from "./go-format.js";
import { goTomlParse, unescapeBasic } from "./go-toml.js";
import { goUrlParse } from "./go-url.js";
import { closest, editDistance } from "../suggest.js";

export interface ContainerdFeatures {
  /** "referrers" is a capability from containerd v2.2.0. */
  referrers: boolean;
  /** dial_timeout is a key from v2.1.0 (before, an unknown key: ignored). */
  dialTimeout: boolean;
  /**
   * containerd v1.x parsed with go-toml v1 (v1.6.20 vendors v1.9.5): a syntax error is `failed to parse TOML: %w`
   * with go-toml v1's `(line, column): message`, a file without a `host` table fails with "invalid `host` tree"
   * (containerd#10027), hosts are ordered by the line they are defined on, dotted keys included, and keys match only
   * in lower case or ALL-CAPS.
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
      /** True for containerd's and go-toml's exact texts; false where certsd-lint words the error. */
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

/**
 * The key go-toml takes for a struct field tagged `name` (all of containerd's tags are lower case).
 * v2 (unmarshaler.go, fieldByName): the exact tag, else the first key equal to it case-insensitively.
 * v1 (marshal.go valueFromTree): only the spellings in keysToTry, the tag, strings.ToLower, strings.ToTitle, and the
 * first letter lowered: for a lower-case tag, `ca` or `CA`; `Ca` is ignored.
 */
function field(table: Table, name: string, v1 = false): { key: string; value: unknown } | undefined {
  const tries = v1 ? [name, name.toUpperCase()] : [name];
  for (const k of tries) if (Object.hasOwn(table, k)) return { key: k, value: table[k] };
  if (v1) return undefined;
  const k = Object.keys(table).find((x) => x.toLowerCase() === name);
  return k === undefined ? undefined : { key: k, value: table[k] };
}

/** Whether go-toml decodes `key` into a field tagged `name`. */
function matches(key: string, name: string, v1: boolean): boolean {
  return v1 ? key === name || key === name.toUpperCase() : key.toLowerCase() === name;
}

/** containerd v2.x's anonymous wrapper struct, as reflect prints its type (go-toml v2 names it in type errors). */
const WRAPPER_V2 =
  'struct { config.hostFileConfig; Server string "toml:\\"server\\""; HostConfigs map[string]config.hostFileConfig "toml:\\"host\\"" }';

/** Where a value is decoded: for go-toml's type-mismatch texts. */
interface Target {
  /** Dotted key path in the document. */
  path: string[];
  /** Go struct type holding the field (go-toml v2's errorContext.Struct) and the field. */
  struct: string;
  field: string;
  /** Go type of the field, and reflect.Kind of what the value lands in. */
  goType: string;
  kind: string;
}

interface DecodeCtx {
  v1: boolean;
  /** The document text (BOM removed), to find a key's position for go-toml v1. */
  text: string;
  features: ContainerdFeatures;
  unknown: UnknownKey[];
}

/** go-toml v1's %v of a decoded value (strings bare, arrays as [a b], tables as their TOML text: not modelled). */
function v1V(v: unknown): string | null {
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "number") return goV(v);
  if (Array.isArray(v)) {
    const items = v.map(v1V);
    return items.every((x) => x !== null) ? `[${items.join(" ")}]` : null;
  }
  return null;
}

function v1T(v: unknown): string | null {
  if (Array.isArray(v)) return "[]interface {}";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int64";
  if (typeof v === "number") return "float64";
  return null;
}

/** Offset of a key/value's key in the text, for a simple `[table]` + `key = value` layout; -1 when not found. */
function keyOffset(text: string, keyPath: string[]): number {
  let table: string[] = [];
  let offset = 0;
  for (const line of text.split(/(?<=\n)/)) {
    const header = headerKey(line.replace(/\r?\n$/, ""));
    if (header) table = header;
    else {
      const m = /^(\s*)([A-Za-z0-9_-]+)\s*=/.exec(line);
      if (m && [...table, m[2]!].join("\u0000") === keyPath.join("\u0000")) return offset + m[1]!.length;
    }
    offset += line.length;
  }
  return -1;
}

/** go-toml v1's Position of an offset (lines counted by LF only, columns in runes). */
function v1Position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `(${(before.match(/\n/g) ?? []).length + 1}, ${[...before.slice(before.lastIndexOf("\n") + 1)].length + 1})`;
}

/**
 * A value of the wrong TOML type for its field, in go-toml's words.
 * v1 (marshal.go valueFromToml, formatError): `(line, col): Can't convert %v(%T) to <type>` at the key.
 * v2 (unmarshaler.go, v2.2.x as containerd v2.x vendors it): typeMismatchString for strings, integers and arrays,
 * `float cannot be assigned to %s`, `cannot assign boolean to a %t`, `cannot store inline table in Go type %s`.
 */
function typeError(ctx: DecodeCtx, t: Target, v: unknown, element = false): never {
  if (ctx.v1) {
    const at = keyOffset(ctx.text, t.path);
    const [vv, vt] = [v1V(v), v1T(v)];
    const to = element
      ? "string"
      : Array.isArray(v)
        ? "a slice"
        : t.kind === "slice" || t.kind === "map"
          ? `${t.goType}(${t.kind})`
          : t.goType.replace(/^\*/, "");
    if (at >= 0 && vv !== null && vt !== null) {
      throw new DecodeFailure(`${v1Position(ctx.text, at)}: Can't convert ${vv}(${vt}) to ${to}`, "type", true);
    }
    throw new DecodeFailure(`Can't convert ${vv ?? tomlTypeName(v)}(${vt ?? tomlTypeName(v)}) to ${to}`, "type", false);
  }
  const mismatch = (toml: string) =>
    `toml: cannot decode TOML ${toml} into struct field ${t.struct}.${t.field} of type ${t.goType}`;
  let text: string;
  let verbatim = true;
  if (typeof v === "string") text = mismatch("string");
  else if (typeof v === "bigint") text = mismatch("integer");
  else if (Array.isArray(v))
    text = mismatch(v.length > 0 && v.every(isTable) && /^[ \t]*\[\[/m.test(ctx.text) ? "array table" : "array");
  else if (typeof v === "number") text = `toml: float cannot be assigned to ${element ? "string" : t.kind}`;
  else if (typeof v === "boolean") text = `toml: cannot assign boolean to a ${v}`;
  else if (isTable(v)) {
    text = `toml: cannot store inline table in Go type ${element ? "string" : t.kind}`;
    verbatim = false; // a [table] header says something else
  } else {
    text = mismatch(tomlTypeName(v));
    verbatim = false;
  }
  throw new DecodeFailure(text, "type", verbatim);
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

function decodeFileConfig(t: Table, path: string[], ctx: DecodeCtx): FileConfig {
  const { v1, features, unknown } = ctx;
  const c: FileConfig = {};
  const target = (key: string, fieldName: string, goType: string, kind: string): Target => ({
    path: [...path, key],
    struct: "config.hostFileConfig",
    field: fieldName,
    goType,
    kind,
  });
  const caps = field(t, "capabilities", v1);
  if (caps) {
    const tg = target(caps.key, "Capabilities", "[]string", "slice");
    if (!Array.isArray(caps.value)) typeError(ctx, tg, caps.value);
    for (const x of caps.value) if (typeof x !== "string") typeError(ctx, tg, x, true);
    c.capabilities = caps.value as string[];
  }
  const ca = field(t, "ca", v1);
  if (ca) c.ca = ca.value;
  const client = field(t, "client", v1);
  if (client) c.client = client.value;
  const sv = field(t, "skip_verify", v1);
  if (sv) {
    if (typeof sv.value !== "boolean") typeError(ctx, target(sv.key, "SkipVerify", "*bool", "bool"), sv.value);
    c.skipVerify = sv.value;
  }
  const header = field(t, "header", v1);
  if (header) {
    if (!isTable(header.value))
      typeError(ctx, target(header.key, "Header", "map[string]interface {}", "map"), header.value);
    c.header = header.value;
  }
  const op = field(t, "override_path", v1);
  if (op) {
    if (typeof op.value !== "boolean") typeError(ctx, target(op.key, "OverridePath", "bool", "bool"), op.value);
    c.overridePath = op.value;
  }
  const dt = features.dialTimeout ? field(t, "dial_timeout", v1) : undefined;
  if (dt) {
    if (typeof dt.value !== "string") typeError(ctx, target(dt.key, "DialTimeout", "string", "string"), dt.value);
    c.dialTimeout = dt.value;
  }
  const known = features.dialTimeout ? HOST_KEYS : HOST_KEYS.filter((k) => k !== "dial_timeout");
  const top = path.length === 0;
  for (const key of Object.keys(t)) {
    if (top && (matches(key, "server", v1) || matches(key, "host", v1))) continue;
    if (known.some((k) => matches(key, k, v1))) continue;
    unknown.push({
      key: top ? key : `host.${JSON.stringify(path[1])}.${key}`,
      suggestion: suggest(key, top ? TOP_KEYS : known),
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
  // go-toml v1 hands an array of tables to an interface{} as []map[string]interface{} (tomltree ToMap), not
  // []interface{}: containerd 1.x's type switch then takes neither of its slice cases.
  const v1Tables = (v: unknown) => features.goTomlV1 === true && Array.isArray(v) && v.length > 0 && v.every(isTable);
  if (c.ca !== undefined) {
    if (v1Tables(c.ca)) fail(`invalid type ${goV(c.ca)} for "ca"`);
    if (typeof c.ca === "string") result.caCerts = [makeAbsPath(c.ca, baseDir)];
    else if (Array.isArray(c.ca)) result.caCerts = stringSlice(c.ca, (p) => makeAbsPath(p, baseDir));
    else fail(`invalid type ${goV(c.ca)} for "ca"`);
  }
  if (c.client !== undefined) {
    if (v1Tables(c.client)) fail(`invalid type ${goV(c.client)} for "client"`);
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
      else if (Array.isArray(value) && !v1Tables(value)) headers[key] = stringSlice(value);
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
      part = unescapeBasic(end[1]!);
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

/**
 * go-toml v1's order (getSortedHosts: sort.Slice by Tree.Position().Line): every `host.X` by the line it first
 * appears on, from a table header or a dotted key. go-toml v1 counts lines by LF only: in a file with CR-only line
 * ends every host is on line 1, and containerd's order is then Go's map order (random); file order here.
 */
function hostsByLine(text: string): Array<{ host: string; line: number }> {
  const first = new Map<string, { line: number; goLine: number }>();
  let goLine = 1;
  let table: string[] = [];
  for (const [i, raw] of text.split(/(?<=\r\n|\r(?!\n)|\n)/).entries()) {
    const line = raw.replace(/\r?\n$|\r$/, "");
    const header = headerKey(line);
    let parts = header;
    if (header) table = header;
    else if (table.length === 0) {
      const dotted = /^\s*(host\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))\s*\./.exec(line);
      parts = dotted ? headerKey(`[${dotted[1]}]`) : null;
    } else if (table.length === 1 && table[0] === "host") {
      // Under [host]: `"<url>".ca = …` makes the host's table at this line (an inline table has none: line 0).
      const dotted = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*\./.exec(line);
      parts = dotted ? headerKey(`[host.${dotted[1]}]`) : null;
    }
    if (parts && parts.length >= 2 && parts[0] === "host" && !first.has(parts[1]!))
      first.set(parts[1]!, { line: i + 1, goLine });
    if (raw.endsWith("\n")) goLine++;
  }
  return [...first.entries()].sort((a, b) => a[1].goLine - b[1].goLine).map(([host, { line }]) => ({ host, line }));
}

/** Decodes a hosts.toml as containerd does. `baseDir` is the host directory (relative paths are joined to it). */
export function parseHostsToml(
  data: Buffer,
  baseDir: string,
  features: ContainerdFeatures,
  streamed = true,
): HostsTomlParse {
  const v1 = features.goTomlV1 === true;
  const parsed = goTomlParse(data, v1 ? 1 : 2);
  if (!parsed.ok) {
    const { text, verbatim, line, offset } = parsed.error;
    if (!v1 && streamed) {
      // go-toml v2 decodes each expression as it parses it: a type error before the syntax error comes first.
      const before = data
        .toString("utf8")
        .replace(/^\ufeff/, "")
        .slice(0, offset);
      for (const prefix of [before, before.slice(0, Math.max(before.lastIndexOf("\n"), 0))]) {
        const p = parseHostsToml(Buffer.from(`${prefix}\n`), baseDir, features, false);
        if (!p.ok && p.stage === "type") return p;
        if (p.ok || p.stage !== "syntax") break;
      }
    }
    // containerd v1.x: parseHostsFile wraps LoadBytes' error (`failed to parse TOML: %w`); v2.x returns Unmarshal's.
    return { ok: false, error: v1 ? `failed to parse TOML: ${text}` : text, verbatim, stage: "syntax", line };
  }
  const { doc, text } = parsed;
  const unknownKeys: UnknownKey[] = [];
  const ctx: DecodeCtx = { v1, text, features, unknown: unknownKeys };
  // containerd v1.x getSortedHosts: root.Get("host"), the exact key, must be a table.
  if (v1 && !isTable(doc.host)) {
    return { ok: false, error: "invalid `host` tree", verbatim: true, stage: "validation", line: null };
  }
  const ordered = v1 ? hostsByLine(text) : sortedHosts(text);
  try {
    if (v1) {
      // getSortedHosts' comparison asserts every host value is a table: with two hosts or more, another value panics.
      const bad = Object.entries(doc.host as Table).find(([, v]) => !isTable(v));
      if (bad && Object.keys(doc.host as Table).length >= 2) {
        const [, v] = bad;
        const goType =
          typeof v === "string"
            ? "string"
            : typeof v === "boolean"
              ? "bool"
              : typeof v === "bigint"
                ? "int64"
                : typeof v === "number"
                  ? "float64"
                  : Array.isArray(v)
                    ? "[]interface {}"
                    : "";
        throw new DecodeFailure(
          `panic: interface conversion: interface {} is ${goType}, not *toml.Tree`,
          "validation",
          false,
        );
      }
    }
    const top = decodeFileConfig(doc, [], ctx);
    const wrapper = (key: string, fieldName: string, goType: string, kind: string): Target => ({
      path: [key],
      struct: WRAPPER_V2,
      field: fieldName,
      goType,
      kind,
    });
    const server = field(doc, "server", v1);
    if (server && typeof server.value !== "string")
      typeError(ctx, wrapper(server.key, "Server", "string", "string"), server.value);
    const hostField = field(doc, "host", v1);
    if (hostField && !isTable(hostField.value))
      typeError(ctx, wrapper(hostField.key, "HostConfigs", "map[string]config.hostFileConfig", "map"), hostField.value);
    const hostTables = (hostField?.value as Table | undefined) ?? {};
    const configs = new Map<string, FileConfig>();
    for (const [name, value] of Object.entries(hostTables)) {
      if (!isTable(value))
        typeError(ctx, wrapper(hostField!.key, "HostConfigs", "map[string]config.hostFileConfig", "struct"), value);
      configs.set(name, decodeFileConfig(value, [hostField!.key, name], ctx));
    }
    const endpoints: HostEndpoint[] = [];
    for (const { host, line } of ordered)
      endpoints.push(parseHostConfig(host, baseDir, configs.get(host) ?? {}, features, line));
    endpoints.push(parseHostConfig((server?.value as string | undefined) ?? "", baseDir, top, features, null));
    const listed = new Set(ordered.map((o) => o.host));
    // go-toml v1 orders every host it holds; one missed by the line scan (an inline table, whose Tree has no
    // position: line 0) comes first; several such: in Go's map order (file order here).
    const inline = v1 ? [...configs.keys()].filter((h) => !listed.has(h)) : [];
    endpoints.unshift(...inline.map((h) => parseHostConfig(h, baseDir, configs.get(h)!, features, null)));
    return {
      ok: true,
      endpoints,
      unknownKeys,
      unusedHosts: v1 ? [] : [...configs.keys()].filter((h) => !listed.has(h)),
    };
  } catch (e) {
    if (e instanceof DecodeFailure)
      return { ok: false, error: e.text, verbatim: e.verbatim, stage: e.stage, line: null };
    throw e;
  }
}
