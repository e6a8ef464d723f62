/**
 * Go's text renderings that error messages are built from: %q, %v and %T of the values go-toml decodes into an
 * interface{} (string, int64, float64, bool, []interface{}, map[string]interface{}, time values), and
 * time.ParseDuration's errors. Values come from smol-toml with integers as bigint, so int64 and float64 stay apart.
 */
import { TomlDate } from "smol-toml";

/** Go's `%q` (strconv.Quote) for the characters paths and TOML strings carry: controls escaped, the rest kept. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 0x07) out += "\\a";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0b) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Go's `%q` of a string holding arbitrary bytes: valid UTF-8 as goQuote renders it, every byte that is not part of a
 * valid UTF-8 sequence as \xNN (strconv.Quote's rule for invalid UTF-8).
 */
export function goQuoteBytes(b: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let ok = n > 0 && i + n <= b.length;
    for (let k = 1; ok && k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) ok = false;
    if (ok && n > 1) {
      const cp = [...Buffer.from(b.subarray(i, i + n)).toString("utf8")];
      // Overlong, surrogate or out-of-range sequences decode to U+FFFD in node: treat them as invalid bytes too.
      if (cp.length !== 1 || (cp[0] === "\ufffd" && !(c === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd)))
        ok = false;
    }
    if (!ok) {
      out += `\\x${c.toString(16).padStart(2, "0")}`;
      i++;
      continue;
    }
    out += goQuote(Buffer.from(b.subarray(i, i + n)).toString("utf8")).slice(1, -1);
    i += n;
  }
  return `"${out}"`;
}

/** Go's `%v` of a []string: "[A B]". */
export function goStringList(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** strconv.FormatFloat(f, 'g', -1, 64), which `%v` uses for float64: shortest digits, exponent form from 1e+06 or below 1e-04. */
export function goFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = f.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mantissa}e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
  }
  // Shortest round-trip digits in plain notation (what JS prints in this range is Go's too).
  return String(f);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, "0");
}

/** time.Time.String(): "2021-01-01 00:00:00 +0000 UTC" (offset datetimes decode to time.Time). */
function goTime(d: TomlDate): string {
  const iso = d.toISOString();
  const m = /([+-]\d\d):?(\d\d)$|Z$/.exec(iso);
  const offset = m && m[1] ? `${m[1]}${m[2]}` : "+0000";
  const zone = offset === "+0000" ? "UTC" : offset;
  const ms = d.getUTCMilliseconds();
  const frac = ms ? `.${pad(ms, 3).replace(/0+$/, "")}` : "";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} ${offset} ${zone}`;
}

/** Go's `%v` of a value go-toml decoded into interface{}. */
export function goV(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return goFloat(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  if (v instanceof TomlDate) {
    if (v.isDate()) return v.toISOString().slice(0, 10);
    if (v.isTime()) return v.toISOString();
    if (v.isLocal()) return v.toISOString().replace("T", "T");
    return goTime(v);
  }
  if (v && typeof v === "object") {
    // fmt prints map keys sorted.
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goV(x)}`).join(" ")}]`;
  }
  return String(v);
}

/** Go's `%T` of a value go-toml decoded into interface{}. */
export function goT(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "bigint") return "int64";
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  if (v instanceof TomlDate) {
    if (v.isDate()) return "toml.LocalDate";
    if (v.isTime()) return "toml.LocalTime";
    if (v.isLocal()) return "toml.LocalDateTime";
    return "time.Time";
  }
  return "map[string]interface {}";
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  µs: 1000n,
  μs: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/** The time package's own quote(): '"' and '\\' escaped, every byte outside printable ASCII as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, "utf8")) {
    if (b >= 0x80 || b < 0x20) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else {
      const c = String.fromCharCode(b);
      out += c === '"' || c === "\\" ? `\\${c}` : c;
    }
  }
  return `${out}"`;
}

/** time.ParseDuration: the nanoseconds, or Go's exact error text. */
export function goParseDuration(orig: string): { ns: bigint } | { error: string } {
  const invalid = { error: `time: invalid duration ${timeQuote(orig)}` };
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ns: 0n };
  if (s === "") return invalid;
  let total = 0n;
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) return invalid;
    let i = 0;
    while (isDigit(s[i])) i++;
    const pre = i > 0;
    let v = pre ? BigInt(s.slice(0, i)) : 0n;
    if (v > MAX_INT64) return invalid;
    s = s.slice(i);
    let post = false;
    let frac = 0n;
    let scale = 1n;
    if (s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      post = j > 0;
      for (const c of s.slice(0, j)) {
        if (scale > MAX_INT64 / 10n) break; // Go stops accumulating precision, it does not fail
        frac = frac * 10n + BigInt(c);
        scale *= 10n;
      }
      s = s.slice(j);
    }
    if (!pre && !post) return invalid;
    let k = 0;
    while (k < s.length && s[k] !== "." && !isDigit(s[k])) k++;
    if (k === 0) return { error: `time: missing unit in duration ${timeQuote(orig)}` };
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[u];
    if (unit === undefined) return { error: `time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}` };
    if (v > MAX_INT64 / unit) return invalid;
    v *= unit;
    if (frac > 0n) v += (frac * unit) / scale;
    total += v;
    if (total > MAX_INT64) return invalid;
  }
  return { ns: neg ? -total : total };
}
