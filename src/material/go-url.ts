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
