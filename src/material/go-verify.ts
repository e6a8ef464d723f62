/**
 * Go's certificate verification texts (crypto/x509 verify.go and x509.go, unchanged from Go 1.19 through 1.25 in
 * what is used here): validity, host names, whether a certificate may sign others, extended key usage, insecure
 * signature algorithms. Each function answers for one certificate and returns Go's exact error, or null.
 *
 * These errors happen at the TLS handshake, not when a runtime loads certs.d: a rule quotes them as what Go *will*
 * print when the registry's certificate meets this CA (or the registry meets this client certificate).
 */
import { DerReader, Tag } from "./der.js";
import type { GoCertificate } from "./go-x509.js";
import { type GoProfile } from "./go-profile.js";

/** time.Time.Format(time.RFC3339) for a UTC instant: 2021-01-01T00:00:00Z (seconds; no fraction). */
export function goRfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * isValid's validity check, as every certificate of a chain gets it (leaf, intermediate and root):
 * `x509: certificate has expired or is not yet valid: current time <now> is after <notAfter>`. Go compares with
 * Before/After, so the bounds themselves are valid. `now` prints in the process's time zone; certsd-lint prints UTC.
 */
export function validityError(c: GoCertificate, now: Date): string | null {
  const t = now.getTime();
  if (t < c.notBefore.getTime())
    return `x509: certificate has expired or is not yet valid: current time ${goRfc3339(now)} is before ${goRfc3339(c.notBefore)}`;
  if (t > c.notAfter.getTime())
    return `x509: certificate has expired or is not yet valid: current time ${goRfc3339(now)} is after ${goRfc3339(c.notAfter)}`;
  return null;
}

const OID_CN = "2.5.4.3";
const OID_O = "2.5.4.10";

/** pkix.Name values Go keeps, decoded as parseName does: the last CommonName, every Organization. */
export function goName(rawName: Uint8Array): { commonName: string; organization: string[] } {
  const out = { commonName: "", organization: [] as string[] };
  const seq = new DerReader(rawName).read(Tag.SEQUENCE);
  if (!seq) return out;
  const rdns = new DerReader(seq);
  while (!rdns.empty()) {
    const set = rdns.read(Tag.SET);
    if (!set) break;
    const atvs = new DerReader(set);
    while (!atvs.empty()) {
      const atv = atvs.read(Tag.SEQUENCE);
      if (!atv) break;
      const r = new DerReader(atv);
      const oid = r.readOid();
      const value = r.readAny();
      if (!oid || !value) continue;
      const text = decodeString(value.tag, value.content);
      if (text === null) continue;
      if (oid === OID_CN) out.commonName = text;
      else if (oid === OID_O) out.organization.push(text);
    }
  }
  return out;
}

function decodeString(tag: number, c: Uint8Array): string | null {
  switch (tag) {
    case Tag.UTF8String:
    case Tag.PrintableString:
    case Tag.IA5String:
    case Tag.NumericString:
      return Buffer.from(c).toString("utf8");
    case Tag.T61String:
      return Buffer.from(c).toString("latin1");
    case Tag.BMPString: {
      let s = "";
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
      return s;
    }
    default:
      return null;
  }
}

/** The name UnknownAuthorityError gives a candidate authority: CommonName, else the first Organization, else serial:N. */
export function hintName(c: GoCertificate): string {
  const n = goName(c.rawSubject);
  if (n.commonName) return n.commonName;
  if (n.organization[0]) return n.organization[0];
  const neg = c.serialHex.startsWith("-");
  return `serial:${neg ? "-" : ""}${BigInt(`0x${c.serialHex.replace(/^-/, "")}`).toString(10)}`;
}

/** UnknownAuthorityError.Error() with a hint: the candidate Go tried and why it was rejected. */
export function unknownAuthority(hintErr: string | null, hintCert?: GoCertificate): string {
  const s = "x509: certificate signed by unknown authority";
  if (!hintErr || !hintCert) return s;
  return `${s} (possibly because of ${goQuoteSimple(hintErr)} while trying to verify candidate authority certificate ${goQuoteSimple(hintName(hintCert))})`;
}

/**
 * The same, when only the candidate's name is known (the issuer named by a certificate): null when the name has
 * neither CommonName nor Organization, since Go would then print the candidate's serial number.
 */
export function unknownAuthorityNamed(hintErr: string, rawName: Uint8Array): string | null {
  const n = goName(rawName);
  const name = n.commonName || n.organization[0];
  return name
    ? `x509: certificate signed by unknown authority (possibly because of ` +
        `${goQuoteSimple(hintErr)} while trying to verify candidate authority certificate ` +
        `${goQuoteSimple(name)})`
    : null;
}

/** %q of a printable string (the texts here hold no control characters). */
function goQuoteSimple(s: string): string {
  return JSON.stringify(s);
}

export const CONSTRAINT_VIOLATION = "x509: invalid signature: parent certificate cannot sign this kind of certificate";
export const INCOMPATIBLE_USAGE = "x509: certificate specifies an incompatible key usage";
export const UNHANDLED_CRITICAL = "x509: unhandled critical extension";

/**
 * CheckSignatureFrom's first checks on a would-be parent: a v3 certificate without basicConstraints, or with CA:FALSE,
 * or with a keyUsage that lacks keyCertSign, may not sign. Roots are not exempt: a .crt holding such a certificate
 * cannot anchor anything but itself.
 */
export function cannotSign(c: GoCertificate): string | null {
  if ((c.version === 3 && !c.basicConstraintsValid) || (c.basicConstraintsValid && !c.isCA))
    return CONSTRAINT_VIOLATION;
  if (c.hasKeyUsage && c.keyUsage !== 0 && (c.keyUsage & KEY_CERT_SIGN) === 0) return CONSTRAINT_VIOLATION;
  return null;
}

/** Go's KeyUsage bits: digitalSignature = 1 << 0 ... keyCertSign = 1 << 5. */
const KEY_CERT_SIGN = 1 << 5;

/** checkChainForKeyUsage for one certificate: whether its extended key usage allows `usage`. */
export function allowsUsage(c: GoCertificate, usage: "serverAuth" | "clientAuth"): boolean {
  if (c.extKeyUsage.length === 0 && c.unknownExtKeyUsage.length === 0) return true;
  return c.extKeyUsage.includes("any") || c.extKeyUsage.includes(usage);
}

/** Go's names for signature algorithms (SignatureAlgorithm.String()). */
const SIGNATURE_NAMES: Record<string, string> = {
  "1.2.840.113549.1.1.2": "MD2-RSA",
  "1.2.840.113549.1.1.4": "MD5-RSA",
  "1.2.840.113549.1.1.5": "SHA1-RSA",
  "1.3.14.3.2.29": "SHA1-RSA",
  "1.2.840.113549.1.1.11": "SHA256-RSA",
  "1.2.840.113549.1.1.12": "SHA384-RSA",
  "1.2.840.113549.1.1.13": "SHA512-RSA",
  "1.2.840.113549.1.1.10": "RSAPSS",
  "1.2.840.10040.4.3": "DSA-SHA1",
  "2.16.840.1.101.3.4.3.2": "DSA-SHA256",
  "1.2.840.10045.4.1": "ECDSA-SHA1",
  "1.2.840.10045.4.3.2": "ECDSA-SHA256",
  "1.2.840.10045.4.3.3": "ECDSA-SHA384",
  "1.2.840.10045.4.3.4": "ECDSA-SHA512",
  "1.3.101.112": "Ed25519",
};

export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}

/**
 * checkSignature's refusal of a certificate's own signature: MD5 always (and MD2, unsupported), SHA-1 from Go 1.18
 * (the GODEBUG override is named in the text up to Go 1.23 and gone in 1.24, where x509sha1 was removed).
 */
export function insecureSignature(c: GoCertificate, go: GoProfile): string | null {
  const name = SIGNATURE_NAMES[c.signatureAlgorithmOid];
  if (name === "MD5-RSA") return "x509: cannot verify signature: insecure algorithm MD5-RSA";
  if (name === "MD2-RSA") return "x509: cannot verify signature: algorithm unimplemented";
  if (name === "SHA1-RSA" || name === "ECDSA-SHA1" || name === "DSA-SHA1") {
    if (!atLeast(go.toolchain, 1, 18)) return null;
    if (name === "DSA-SHA1") return `x509: cannot verify signature: insecure algorithm ${name}`;
    return atLeast(go.toolchain, 1, 24)
      ? `x509: cannot verify signature: insecure algorithm ${name}`
      : `x509: cannot verify signature: insecure algorithm ${name} (temporarily override with GODEBUG=x509sha1=1)`;
  }
  return null;
}

function atLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = v.split(".").map(Number) as [number, number];
  return a > major || (a === major && b >= minor);
}

/** A certificate's own signature is by its own key (self-issued and self-signed, as far as names and keys tell). */
export function isSelfIssued(c: GoCertificate): boolean {
  return Buffer.compare(Buffer.from(c.rawIssuer), Buffer.from(c.rawSubject)) === 0;
}

// --- host names -------------------------------------------------------------------------------------------------

function toLowerAscii(s: string): string {
  return s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

function validHostname(host: string, isPattern: boolean): boolean {
  if (!isPattern) host = host.replace(/\.$/, "");
  if (host.length === 0) return false;
  const parts = host.split(".");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === "") return false;
    if (isPattern && i === 0 && part === "*") continue;
    for (let j = 0; j < part.length; j++) {
      const ch = part[j]!;
      if (/[a-zA-Z0-9_]/.test(ch) || (ch === "-" && j !== 0)) continue;
      return false;
    }
  }
  return true;
}

function matchExactly(a: string, b: string): boolean {
  if (a === "" || a === "." || b === "" || b === ".") return false;
  return toLowerAscii(a) === toLowerAscii(b);
}

function matchHostnames(pattern: string, host: string): boolean {
  pattern = toLowerAscii(pattern);
  host = toLowerAscii(host.replace(/\.$/, ""));
  if (!pattern || !host) return false;
  const p = pattern.split(".");
  const h = host.split(".");
  if (p.length !== h.length) return false;
  return p.every((part, i) => (i === 0 && part === "*") || part === h[i]);
}

/** net.ParseIP, reduced to what a registry host can be: a dotted IPv4 or an IPv6 address; canonical 16-byte form. */
export function parseIp(s: string): Uint8Array | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((n) => n > 255) || v4.slice(1).some((p) => p.length > 1 && p.startsWith("0"))) return null;
    return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...parts]);
  }
  if (!s.includes(":")) return null;
  let head = s;
  let tailV4: number[] = [];
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const v = parseIp(m[2]!);
    if (!v) return null;
    tailV4 = Array.from(v.subarray(12));
    head = `${m[1]!}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (x: string) => (x === "" ? [] : x.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right].map((g) =>
    parseInt(g, 16),
  );
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  if (tailV4.length) out.set(tailV4, 12);
  return out;
}

function ipFromSan(s: string): Uint8Array | null {
  return parseIp(s);
}

function hasSanExtension(c: GoCertificate): boolean {
  return c.extensionOids.includes("2.5.29.17");
}

/** Why VerifyHostname fails, by the branch of HostnameError.Error() that words it. */
export type HostnameFailureKind = "legacy-common-name" | "no-ip-sans" | "no-names" | "other-names";

export interface HostnameFailure {
  kind: HostnameFailureKind;
  /** Go's text, verbatim. */
  text: string;
}

/**
 * VerifyHostname and HostnameError.Error(): null when the certificate is valid for `host`, else Go's text and which
 * case it is. The CommonName is never matched (Go 1.15+); a certificate without SANs whose CommonName would match
 * gets the "legacy Common Name field" text.
 */
export function hostnameFailure(c: GoCertificate, host: string): HostnameFailure | null {
  let candidateIp = host;
  if (host.length >= 3 && host.startsWith("[") && host.endsWith("]")) candidateIp = host.slice(1, -1);
  const ip = parseIp(candidateIp);
  if (ip) {
    if (c.ipAddresses.some((a) => Buffer.compare(Buffer.from(ipFromSan(a) ?? []), Buffer.from(ip)) === 0)) return null;
    return hostnameFailureOf(c, candidateIp);
  }
  const candidate = toLowerAscii(host);
  const valid = validHostname(candidate, false);
  for (const match of c.dnsNames) {
    if (valid && validHostname(match, true) ? matchHostnames(match, candidate) : matchExactly(match, candidate))
      return null;
  }
  return hostnameFailureOf(c, host);
}

/** Go's text when the certificate is not valid for `host`, else null. */
export function hostnameError(c: GoCertificate, host: string): string | null {
  return hostnameFailure(c, host)?.text ?? null;
}

export const X509_LEGACY_COMMON_NAME = "x509: certificate relies on legacy Common Name field, use SANs instead";

function hostnameFailureOf(c: GoCertificate, host: string): HostnameFailure {
  if (!hasSanExtension(c) && matchHostnames(goName(c.rawSubject).commonName, host)) {
    return { kind: "legacy-common-name", text: X509_LEGACY_COMMON_NAME };
  }
  let valid: string;
  if (parseIp(host)) {
    if (c.ipAddresses.length === 0)
      return {
        kind: "no-ip-sans",
        text: `x509: cannot validate certificate for ${host} because it doesn't contain any IP SANs`,
      };
    valid = c.ipAddresses.join(", ");
  } else valid = c.dnsNames.join(", ");
  if (!valid)
    return { kind: "no-names", text: `x509: certificate is not valid for any names, but wanted to match ${host}` };
  return { kind: "other-names", text: `x509: certificate is valid for ${valid}, not ${host}` };
}

/** The host a TLS client verifies for a certs.d directory name: host[:port] or [v6]:port, without the port. */
export function registryHost(dirName: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(dirName);
  if (v6) return v6[1]!;
  const i = dirName.lastIndexOf(":");
  return i > 0 && /^\d+$/.test(dirName.slice(i + 1)) ? dirName.slice(0, i) : dirName;
}
