/**
 * Go's net/url.Parse, for the strings containerd parses as registry servers: scheme, host and path, or the exact
 * error (`parse "https://a b": invalid character " " in host name`). Follows golang/go src/net/url/url.go: control
 * characters, scheme, authority (userinfo, host, port), percent-escapes in host, path and fragment.
 */
import { goQuote } from "./go-format.js";

export type GoUrl = { scheme: string; host: string; path: string; opaque: string };

const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAlnum = (c: string) => /^[a-zA-Z0-9]$/.test(c);

type Mode = "path" | "host" | "zone" | "userPassword" | "fragment";

/** url.shouldEscape, for the modes parsing uses. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if (mode === "host" || mode === "zone") {
    if ("!$&'()*+,;=:[]<>\"".includes(c)) return false;
  }
  if ("-_.~".includes(c)) return false;
  if ("$&+,/:;=?@".includes(c)) {
    switch (mode) {
      case "path":
        return c === "?";
      case "userPassword":
        return c === "@" || c === "/" || c === "?" || c === ":";
      case "fragment":
        return false;
      default:
        return true;
    }
  }
  if (mode === "fragment" && "!()*".includes(c)) return false;
  return true;
}

/** url.unescape's validation: the first problem's message, or null. */
function unescapeError(s: string, mode: Mode): string | null {
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === "%") {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2]))
        return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      if (mode === "host" && parseInt(s[i + 1]!, 16) < 8 && s.slice(i, i + 3) !== "%25")
        return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode))
      return `invalid character ${goQuote(c)} in host name`;
    i++;
  }
  return null;
}

/** Percent-decoding of an already validated string (Go keeps invalid UTF-8 as bytes; text shows U+FFFD). */
function percentDecode(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%" && isHex(s[i + 1]) && isHex(s[i + 2])) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  if (port[0] !== ":") return false;
  return /^[0-9]*$/.test(port.slice(1));
}

function parseHost(host: string): { host: string } | { error: string } {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) return { error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) return { error: `invalid port ${goQuote(colonPort)} after host` };
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1 && !validOptionalPort(host.slice(i)))
      return { error: `invalid port ${goQuote(host.slice(i))} after host` };
  }
  const e = unescapeError(host, "host");
  return e ? { error: e } : { host: percentDecode(host) };
}

function validUserinfo(s: string): boolean {
  for (const c of s) {
    if (isAlnum(c) || "-._:~!$&'()*+,;=%@".includes(c)) continue;
    return false;
  }
  return true;
}

/** url.Parse: the parts containerd uses, or its error text (`parse "<url>": <reason>`). */
export function goUrlParse(rawURL: string): GoUrl | { error: string } {
  const hash = rawURL.indexOf("#");
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash);
  const frag = hash < 0 ? "" : rawURL.slice(hash + 1);
  const fail = (reason: string, whole = u) => ({ error: `parse ${goQuote(whole)}: ${reason}` });
  // eslint-disable-next-line no-control-regex -- the bytes Go's net/url refuses (stringContainsCTLByte)
  if (/[\x00-\x1f\x7f]/.test(u)) return fail("net/url: invalid control character in URL");
  // getScheme
  let scheme = "";
  let rest = u;
  for (let i = 0; i < u.length; i++) {
    const c = u[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ":") {
      if (i === 0) return fail("missing protocol scheme");
      scheme = u.slice(0, i).toLowerCase();
      rest = u.slice(i + 1);
    }
    break;
  }
  const q = rest.indexOf("?");
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme, host: "", path: "", opaque: rest };
    const seg = rest.split("/")[0]!;
    if (seg.includes(":")) return fail("first path segment in URL cannot contain colon");
  }
  let host = "";
  if (rest.startsWith("//") && !(scheme === "" && rest.startsWith("///"))) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    const h = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if ("error" in h) return fail(h.error);
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) return fail("net/url: invalid userinfo");
      const e = unescapeError(userinfo, "userPassword");
      if (e) return fail(e);
    }
    host = h.host;
  }
  const pathError = unescapeError(rest, "path");
  if (pathError) return fail(pathError);
  if (frag) {
    const e = unescapeError(frag, "fragment");
    if (e) return fail(e, rawURL);
  }
  return { scheme, host, path: rest, opaque: "" };
}

type EscapeMode = "path" | "host" | "userPassword" | "fragment";

/** url.shouldEscape for one byte (Go 1.19 net/url/url.go). */
function shouldEscapeByte(c: number, mode: EscapeMode): boolean {
  const ch = String.fromCharCode(c);
  if (c < 0x80 && isAlnum(ch)) return false;
  if (mode === "host" && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    if (mode === "path") return ch === "?";
    if (mode === "userPassword") return ch === "@" || ch === "/" || ch === "?" || ch === ":";
    if (mode === "fragment") return false;
    return true;
  }
  if (mode === "fragment" && "!()*".includes(ch)) return false;
  return true;
}

function escapeBytes(b: Uint8Array, mode: EscapeMode): string {
  let out = "";
  for (const c of b)
    out += shouldEscapeByte(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(c);
  return out;
}

/** url.unescape's result as bytes (the input already validated by goUrlParse). */
function unescapeBytes(s: string): Uint8Array {
  const out: number[] = [];
  const raw = Buffer.from(s, "latin1");
  for (let i = 0; i < raw.length; i++) {
    if (
      raw[i] === 0x25 &&
      i + 2 < raw.length + 0 &&
      isHex(String.fromCharCode(raw[i + 1]!)) &&
      isHex(String.fromCharCode(raw[i + 2]!))
    ) {
      out.push(parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else out.push(raw[i]!);
  }
  return Uint8Array.from(out);
}

/** url.validEncoded. */
function validEncoded(s: string, mode: EscapeMode): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ("!$&'()*+,;=:@[]%".includes(s[i]!)) continue;
    if (shouldEscapeByte(c, mode)) return false;
  }
  return true;
}

/**
 * url.URL.String() of a URL goUrlParse accepted (Go 1.19 net/url/url.go): the scheme lower-cased, the host and a path
 * or fragment that is not validly encoded re-escaped, the query as it was. `rawURL` is one byte per character.
 */
export function goUrlString(rawURL: string): string {
  const hash = rawURL.indexOf("#");
  let rest = hash < 0 ? rawURL : rawURL.slice(0, hash);
  const rawFrag = hash < 0 ? "" : rawURL.slice(hash + 1);
  let scheme = "";
  const m = /^([a-zA-Z][a-zA-Z0-9+\-.]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let query: string | null = null;
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let out = scheme ? `${scheme}:` : "";
  if (scheme && !rest.startsWith("/")) {
    out += rest;
  } else {
    let user: string | null = null;
    let host = "";
    let omitHost = false;
    if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
      let authority = rest.slice(2);
      rest = "";
      const slash = authority.indexOf("/");
      if (slash >= 0) {
        rest = authority.slice(slash);
        authority = authority.slice(0, slash);
      }
      const at = authority.lastIndexOf("@");
      if (at >= 0) user = authority.slice(0, at);
      host = escapeBytes(unescapeBytes(at >= 0 ? authority.slice(at + 1) : authority), "host");
    } else if (scheme !== "" && rest.startsWith("/")) omitHost = true;
    if (scheme !== "" || host !== "" || user !== null) {
      if (!(omitHost && host === "" && user === null)) {
        if (host !== "" || rest !== "" || user !== null) out += "//";
        if (user !== null) {
          const colon = user.indexOf(":");
          const name = colon < 0 ? user : user.slice(0, colon);
          out += escapeBytes(unescapeBytes(name), "userPassword");
          if (colon >= 0) out += `:${escapeBytes(unescapeBytes(user.slice(colon + 1)), "userPassword")}`;
          out += "@";
        }
        out += host;
      }
    }
    const path = rest === "*" || validEncoded(rest, "path") ? rest : escapeBytes(unescapeBytes(rest), "path");
    if (path !== "" && path[0] !== "/" && host !== "") out += "/";
    if (out.length === 0 && path.split("/")[0]!.includes(":")) out += "./";
    out += path;
  }
  if (query !== null) out += `?${query}`;
  if (rawFrag !== "") {
    const frag = unescapeBytes(rawFrag);
    if (frag.length > 0) out += `#${validEncoded(rawFrag, "fragment") ? rawFrag : escapeBytes(frag, "fragment")}`;
  }
  return out;
}
