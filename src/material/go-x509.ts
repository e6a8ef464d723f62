/**
 * Go's x509.ParseCertificate, as a check: does Go accept these DER bytes, and if not, with which exact error?
 * Follows golang/go src/crypto/x509/parser.go (parseCertificate, processExtensions, parsePublicKey) step by step,
 * in the same order, so the first failure is the one Go reports. Version-dependent failures (negative serial
 * numbers, X25519 keys, the duplicate-extension wording) are returned with the condition under which they apply;
 * `goCertificateError` picks the one a given Go build reports.
 *
 * The fields Go derives on the way (public key, CA flag, key usages, names, validity) are kept: they are what Go
 * itself sees, which is what every runtime verdict is about.
 */
import { createPublicKey } from "node:crypto";
import { bytesEqual, contextTag, DerReader, integerValue, Tag, unsignedMagnitude } from "./der.js";
import { goQuote, goQuoteBytes } from "./go-format.js";
import {
  type GoProfile,
  LATEST_X509,
  namesDuplicateExtensionOid,
  parsesX25519,
  rejectsDuplicateExtensions,
  rejectsNegativeSerial,
  type X509Features,
  x509Features,
} from "./go-profile.js";
import { goUrlParse, goUrlString } from "./go-url.js";

/** ParseCertificate's error for a negative serial number (Go 1.23+ by default; x509negativeserial=1 turns it off). */
export const X509_NEGATIVE_SERIAL = "x509: negative serial number";

export type GoPublicKeyAlgorithm = "rsa" | "ecdsa" | "ed25519" | "x25519" | "dsa" | "unknown";

export interface GoPublicKey {
  algorithm: GoPublicKeyAlgorithm;
  /** RSA modulus magnitude (no leading zeros) and its bit length. */
  rsaModulus?: Uint8Array;
  bits?: number;
  /** ECDSA curve as Go names it, and the affine coordinates. */
  curve?: "P-224" | "P-256" | "P-384" | "P-521";
  x?: Uint8Array;
  y?: Uint8Array;
  /** Ed25519 / X25519 raw public key. */
  raw?: Uint8Array;
  /** The whole SubjectPublicKeyInfo element. */
  spki: Uint8Array;
}

export type ExtKeyUsageName =
  | "any"
  | "serverAuth"
  | "clientAuth"
  | "codeSigning"
  | "emailProtection"
  | "ipsecEndSystem"
  | "ipsecTunnel"
  | "ipsecUser"
  | "timeStamping"
  | "OCSPSigning"
  | "msSGC"
  | "nsSGC"
  | "msCodeCom"
  | "msKernelCode";

export interface GoCertificate {
  raw: Uint8Array;
  version: number;
  serialHex: string;
  serialNegative: boolean;
  signatureAlgorithmOid: string;
  rawIssuer: Uint8Array;
  rawSubject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  publicKey: GoPublicKey;
  basicConstraintsValid: boolean;
  isCA: boolean;
  maxPathLen: number;
  /** MaxPathLen exactly (Go's int can exceed 2^53). */
  maxPathLenExact: bigint;
  /** Go's KeyUsage bit set (bit 0 = digitalSignature ... bit 8 = decipherOnly); 0 when absent. */
  keyUsage: number;
  hasKeyUsage: boolean;
  extKeyUsage: ExtKeyUsageName[];
  unknownExtKeyUsage: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  extensionOids: string[];
  unhandledCriticalExtensions: string[];
}

/** A failure Go reports only under some builds. */
export type FailureCondition = "negative-serial" | "x25519-parsed" | "duplicate-extension";

export interface GoParseFailure {
  error: string;
  /** Absent: every Go build reports it. */
  when?: FailureCondition;
  /** For "duplicate-extension": the older wording. */
  legacyError?: string;
}

export interface GoCertificateParse {
  /** Present when the structure parsed to the end (possibly with conditional failures pending). */
  cert: GoCertificate | null;
  /** In the order Go would meet them; an unconditional failure is always last. */
  failures: GoParseFailure[];
  /** The DER parsed, so that a Go build whose parser differs (X509Features) can parse it again. */
  der?: Uint8Array;
  /** The parser features this parse followed. */
  features?: X509Features;
}

const reparsed = new WeakMap<GoCertificateParse, Map<string, GoCertificateParse>>();

/** The parse as a given Go build's parser sees it (the same object when its parser features are the same). */
function parseFor(parse: GoCertificateParse, go: GoProfile): GoCertificateParse {
  if (!parse.der) return parse;
  const f = x509Features(go);
  const key = JSON.stringify(f);
  if (key === JSON.stringify(parse.features ?? LATEST_X509)) return parse;
  let m = reparsed.get(parse);
  if (!m) reparsed.set(parse, (m = new Map<string, GoCertificateParse>()));
  let p = m.get(key);
  if (!p) m.set(key, (p = parseCertificateAsGo(parse.der, go)));
  return p;
}

/** The error a given Go build returns from ParseCertificate, or null when it accepts the certificate. */
export function goCertificateError(parse: GoCertificateParse, go: GoProfile): string | null {
  for (const f of parseFor(parse, go).failures) {
    switch (f.when) {
      case undefined:
        return f.error;
      case "negative-serial":
        if (rejectsNegativeSerial(go)) return f.error;
        break;
      case "x25519-parsed":
        if (parsesX25519(go)) return f.error;
        break;
      case "duplicate-extension":
        if (!rejectsDuplicateExtensions(go)) break;
        return namesDuplicateExtensionOid(go) ? f.error : (f.legacyError ?? f.error);
    }
  }
  return null;
}

/** As goCertificateError, but the accepted certificate (or null). */
export function goAcceptedCertificate(parse: GoCertificateParse, go: GoProfile): GoCertificate | null {
  return goCertificateError(parse, go) === null ? parseFor(parse, go).cert : null;
}

class ParseFailed extends Error {}

const OID = {
  rsa: "1.2.840.113549.1.1.1",
  ecdsa: "1.2.840.10045.2.1",
  ed25519: "1.3.101.112",
  x25519: "1.3.101.110",
  dsa: "1.2.840.10040.4.1",
  aia: "1.3.6.1.5.5.7.1.1",
} as const;

const CURVES: Record<string, { name: NonNullable<GoPublicKey["curve"]>; size: number }> = {
  "1.3.132.0.33": { name: "P-224", size: 28 },
  "1.2.840.10045.3.1.7": { name: "P-256", size: 32 },
  "1.3.132.0.34": { name: "P-384", size: 48 },
  "1.3.132.0.35": { name: "P-521", size: 66 },
};

const EKU: Record<string, ExtKeyUsageName> = {
  "2.5.29.37.0": "any",
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.5": "ipsecEndSystem",
  "1.3.6.1.5.5.7.3.6": "ipsecTunnel",
  "1.3.6.1.5.5.7.3.7": "ipsecUser",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "OCSPSigning",
  "1.3.6.1.4.1.311.10.3.3": "msSGC",
  "2.16.840.1.113730.4.1": "nsSGC",
  "1.3.6.1.4.1.311.2.1.22": "msCodeCom",
  "1.3.6.1.4.1.311.61.1.1": "msKernelCode",
};

const NULL_BYTES = Uint8Array.of(0x05, 0x00);

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** The parser features of the parse under way (parsing is synchronous). */
let F: X509Features = LATEST_X509;

const oidOf = (r: DerReader): string | null => r.readOid(F.oidRejectsPadding);

/**
 * Parses DER as Go's x509.ParseCertificate does: as the newest modelled Go, or as the Go of `go`. Never throws:
 * every outcome is a GoCertificateParse (a fault of this model counts as a malformed certificate).
 */
export function parseCertificateAsGo(der: Uint8Array, go?: GoProfile): GoCertificateParse {
  const failures: GoParseFailure[] = [];
  const fail = (error: string): never => {
    failures.push({ error });
    throw new ParseFailed(error);
  };
  const features = go ? x509Features(go) : LATEST_X509;
  const saved = F;
  F = features;
  try {
    const cert = parse(der, fail, failures);
    return { cert, failures, der, features };
  } catch (e) {
    if (!(e instanceof ParseFailed)) failures.push({ error: "x509: malformed certificate" });
    return { cert: null, failures, der, features };
  } finally {
    F = saved;
  }
}

function parse(der: Uint8Array, fail: (e: string) => never, failures: GoParseFailure[]): GoCertificate {
  const outer = new DerReader(der);
  const raw = outer.readElement(Tag.SEQUENCE) ?? fail("x509: malformed certificate");
  const input = new DerReader(new DerReader(raw).read(Tag.SEQUENCE) ?? fail("x509: malformed certificate"));

  const tbsElement = input.readElement(Tag.SEQUENCE) ?? fail("x509: malformed tbs certificate");
  const tbs = new DerReader(new DerReader(tbsElement).read(Tag.SEQUENCE) ?? fail("x509: malformed tbs certificate"));

  let version = 0;
  const v = tbs.readOptional(contextTag(0, true)) ?? fail("x509: malformed version");
  if (v.present) {
    const vr = new DerReader(v.content);
    const n = vr.readSmallInteger();
    if (n === null || !vr.empty()) fail("x509: malformed version");
    version = Number(n);
  }
  if (version < 0) fail("x509: malformed version");
  version++;
  if (version > 3) fail("x509: invalid version");

  const serial = tbs.readInteger() ?? fail("x509: malformed serial number");
  if (serial.negative) failures.push({ error: X509_NEGATIVE_SERIAL, when: "negative-serial" });

  const sigAI = tbs.read(Tag.SEQUENCE) ?? fail("x509: malformed signature algorithm identifier");
  const outerSigAI = input.read(Tag.SEQUENCE) ?? fail("x509: malformed algorithm identifier");
  if (!bytesEqual(outerSigAI, sigAI)) fail("x509: inner and outer signature algorithm identifiers don't match");
  const sigAlg = parseAI(sigAI, fail);

  const rawIssuer = tbs.readElement(Tag.SEQUENCE) ?? fail("x509: malformed issuer");
  parseName(rawIssuer, fail);

  const validity = new DerReader(tbs.read(Tag.SEQUENCE) ?? fail("x509: malformed validity"));
  const notBefore = parseTime(validity, fail);
  const notAfter = parseTime(validity, fail);

  const rawSubject = tbs.readElement(Tag.SEQUENCE) ?? fail("x509: malformed issuer"); // sic: Go says "issuer"
  parseName(rawSubject, fail);

  const spkiElement = tbs.readElement(Tag.SEQUENCE) ?? fail("x509: malformed spki");
  const spki = new DerReader(new DerReader(spkiElement).read(Tag.SEQUENCE) ?? fail("x509: malformed spki"));
  const pkAISeq = spki.read(Tag.SEQUENCE) ?? fail("x509: malformed public key algorithm identifier");
  const pkAI = parseAI(pkAISeq, fail);
  const spk = spki.readBitString() ?? fail("x509: malformed subjectPublicKey");
  const publicKey = parsePublicKey(pkAI, rightAlign(spk.bytes, spk.unusedBits), spkiElement, fail, failures);

  const cert: GoCertificate = {
    raw,
    version,
    serialHex: serial.negative ? `-${(-integerValue(serial)).toString(16)}` : integerValue(serial).toString(16),
    serialNegative: serial.negative,
    signatureAlgorithmOid: sigAlg.oid,
    rawIssuer,
    rawSubject,
    notBefore,
    notAfter,
    publicKey,
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: -1,
    maxPathLenExact: -1n,
    keyUsage: 0,
    hasKeyUsage: false,
    extKeyUsage: [],
    unknownExtKeyUsage: [],
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    subjectKeyId: null,
    authorityKeyId: null,
    extensionOids: [],
    unhandledCriticalExtensions: [],
  };

  if (version > 1) {
    if (!tbs.skipOptional(contextTag(1))) fail("x509: malformed issuerUniqueID");
    if (!tbs.skipOptional(contextTag(2))) fail("x509: malformed subjectUniqueID");
    if (version === 3) {
      const exts = tbs.readOptional(contextTag(3, true)) ?? fail("x509: malformed extensions");
      if (exts.present) {
        const seq = new DerReader(new DerReader(exts.content).read(Tag.SEQUENCE) ?? fail("x509: malformed extensions"));
        const parsed: Extension[] = [];
        const seen = new Set<string>();
        while (!seq.empty()) {
          const e = seq.read(Tag.SEQUENCE) ?? fail("x509: malformed extension");
          const ext = parseExtension(e, fail);
          // Go ≥ 1.19 stops at the first repeated extension; older Go reads on, so parsing continues here and
          // later failures are recorded after this conditional one.
          if (seen.has(ext.oid) && !failures.some((f) => f.when === "duplicate-extension")) {
            failures.push({
              error: `x509: certificate contains duplicate extension with OID ${goQuote(ext.oid)}`,
              legacyError: "x509: certificate contains duplicate extensions",
              when: "duplicate-extension",
            });
          }
          seen.add(ext.oid);
          parsed.push(ext);
        }
        cert.extensionOids = parsed.map((e) => e.oid);
        processExtensions(cert, parsed, fail);
      }
    }
  }

  if (!input.readBitString()) fail("x509: malformed signature");
  // ParseCertificate (not parseCertificate) then insists that nothing follows the certificate.
  if (!outer.empty()) fail("x509: trailing data");
  return cert;
}

interface AlgorithmIdentifier {
  oid: string;
  /** The parameters element, or null when absent. */
  params: Uint8Array | null;
}

function parseAI(der: Uint8Array, fail: (e: string) => never): AlgorithmIdentifier {
  const r = new DerReader(der);
  const oid = oidOf(r) ?? fail("x509: malformed OID");
  if (r.empty()) return { oid, params: null };
  const p = r.readAny() ?? fail("x509: malformed parameters");
  return { oid, params: p.element };
}

// --- names ---------------------------------------------------------------------------------------------

function isPrintable(b: number): boolean {
  return (
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x27 && b <= 0x29) ||
    (b >= 0x2b && b <= 0x2f) ||
    b === 0x20 ||
    b === 0x3a ||
    b === 0x3d ||
    b === 0x3f ||
    b === 0x2a ||
    b === 0x26
  );
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true });

function validUtf8(b: Uint8Array): boolean {
  try {
    utf8Strict.decode(b);
    return true;
  } catch {
    return false;
  }
}

/** Go's isIA5String on a []byte-turned-string: every rune must be ASCII (invalid UTF-8 decodes to U+FFFD). */
function isIA5(b: Uint8Array): boolean {
  for (const c of b) if (c > 0x7f) return false;
  return true;
}

/** parseASN1String's verdict: null when fine, else the inner error text. */
function asn1StringError(tag: number, value: Uint8Array): string | null {
  switch (tag) {
    case Tag.T61String:
      return null;
    case Tag.PrintableString:
      return value.every(isPrintable) ? null : "invalid PrintableString";
    case Tag.UTF8String:
      return validUtf8(value) ? null : "invalid UTF-8 string";
    case Tag.BMPString: {
      if (value.length % 2 !== 0) return "invalid BMPString";
      let v = value;
      if (v.length >= 2 && v[v.length - 1] === 0 && v[v.length - 2] === 0) v = v.subarray(0, v.length - 2);
      for (let i = 0; i < v.length; i += 2) {
        const p = (v[i]! << 8) | v[i + 1]!;
        // Go < 1.25 decodes any code unit (utf16.Decode turns lone surrogates into U+FFFD).
        if (
          F.bmpRejectsInvalid &&
          (p === 0xfffe || p === 0xffff || (p >= 0xfdd0 && p <= 0xfdef) || (p >= 0xd800 && p <= 0xdfff))
        ) {
          return "invalid BMPString";
        }
      }
      return null;
    }
    case Tag.IA5String:
      return isIA5(value) ? null : "invalid IA5String";
    case Tag.NumericString:
      return value.every((b) => (b >= 0x30 && b <= 0x39) || b === 0x20) ? null : "invalid NumericString";
    default:
      return `unsupported string type: ${tag}`;
  }
}

function parseName(raw: Uint8Array, fail: (e: string) => never): void {
  const seq = new DerReader(new DerReader(raw).read(Tag.SEQUENCE) ?? fail("x509: invalid RDNSequence"));
  while (!seq.empty()) {
    const set = new DerReader(seq.read(Tag.SET) ?? fail("x509: invalid RDNSequence"));
    while (!set.empty()) {
      const atav = new DerReader(set.read(Tag.SEQUENCE) ?? fail("x509: invalid RDNSequence: invalid attribute"));
      if (oidOf(atav) === null) fail("x509: invalid RDNSequence: invalid attribute type");
      const value = atav.readAny() ?? fail("x509: invalid RDNSequence: invalid attribute value");
      const err = asn1StringError(value.tag, value.content);
      if (err) fail(`x509: invalid RDNSequence: invalid attribute value: ${err}`);
    }
  }
}

// --- time ----------------------------------------------------------------------------------------------

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 && leap ? 29 : DAYS[mo - 1]!;
  return d <= dim;
}

/**
 * time.Parse's "Z0700" followed by Format's round trip: "Z" is UTC; "±hhmm" any two-digit hour (Go < 1.23 has no
 * range check; later Go rejects hours above 24, golang/go#67470) and minutes below 60 (60 and more do not round-trip),
 * never a zero offset (it formats back as "Z").
 */
function zoneOffsetMinutes(z: string): number | null {
  if (z === "Z") return 0;
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z);
  if (!m) return null;
  const hh = Number(m[2]);
  const mm = Number(m[3]);
  if (mm > 59) return null;
  if (F.rejectsZoneOffsetsAbove24h && hh > 24) return null;
  const off = (hh * 60 + mm) * (m[1] === "-" ? -1 : 1);
  return off === 0 ? null : off;
}

function parseTime(r: DerReader, fail: (e: string) => never): Date {
  if (r.peekTag(Tag.UTCTime)) {
    const c = r.read(Tag.UTCTime);
    const t = c && utcTime(Buffer.from(c).toString("latin1"));
    return t ?? fail("x509: malformed UTCTime");
  }
  if (r.peekTag(Tag.GeneralizedTime)) {
    const c = r.read(Tag.GeneralizedTime);
    const t = c && generalizedTime(Buffer.from(c).toString("latin1"));
    return t ?? fail("x509: malformed GeneralizedTime");
  }
  return fail("x509: unsupported time format");
}

/** cryptobyte ReadASN1UTCTime: "YYMMDDhhmmssZ0700", falling back to minute precision; must round-trip. */
function utcTime(s: string): Date | null {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/.exec(s);
  if (!m) return null;
  let year = 1900 + Number(m[1]);
  if (year < 1969) year += 100; // Go's "06" layout: 69-99 → 19xx, 00-68 → 20xx
  if (year >= 2050) year -= 100; // UTCTime: 50-99 → 19xx
  return makeDate(year, m.slice(2, 6).map(Number), m[6] === undefined ? 0 : Number(m[6]), m[7]!);
}

/**
 * cryptobyte ReadASN1GeneralizedTime: "20060102150405Z0700" and the round trip. time.Parse accepts a fraction the
 * layout lacks, but Format then leaves it out, so any fraction is malformed.
 */
function generalizedTime(s: string): Date | null {
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(Z|[+-]\d{4})$/.exec(s);
  if (!m) return null;
  return makeDate(Number(m[1]), m.slice(2, 6).map(Number), Number(m[6]), m[7]!);
}

function makeDate(year: number, [mo, d, h, mi]: number[], s: number, zone: string): Date | null {
  if (!validDate(year, mo!, d!, h!, mi!, s)) return null;
  const off = zoneOffsetMinutes(zone);
  if (off === null) return null;
  // setUTCFullYear: Date.UTC maps years 0–99 to 1900–1999.
  const t = new Date(0);
  t.setUTCFullYear(year, mo! - 1, d);
  t.setUTCHours(h!, mi, s, 0);
  return new Date(t.getTime() - off * 60_000);
}

// --- public keys ---------------------------------------------------------------------------------------

function parsePublicKey(
  ai: AlgorithmIdentifier,
  keyBytes: Uint8Array,
  spki: Uint8Array,
  fail: (e: string) => never,
  failures: GoParseFailure[],
): GoPublicKey {
  const der = new DerReader(keyBytes);
  switch (ai.oid) {
    case OID.rsa: {
      if (!ai.params || !bytesEqual(ai.params, NULL_BYTES)) fail("x509: RSA key missing NULL parameters");
      const seq = new DerReader(der.read(Tag.SEQUENCE) ?? fail("x509: invalid RSA public key"));
      const n = seq.readInteger() ?? fail("x509: invalid RSA modulus");
      const e = seq.readSmallInteger();
      if (e === null) fail("x509: invalid RSA public exponent");
      if (n.negative || integerValue(n) === 0n) fail("x509: RSA modulus is not a positive number");
      if (e <= 0n) fail("x509: RSA public exponent is not a positive number");
      const modulus = unsignedMagnitude(n.bytes);
      return { algorithm: "rsa", rsaModulus: modulus, bits: bitLength(modulus), spki };
    }
    case OID.ecdsa: {
      const p = new DerReader(ai.params ?? new Uint8Array(0));
      const curveOid = oidOf(p) ?? fail("x509: invalid ECDSA parameters");
      const curve = CURVES[curveOid] ?? fail("x509: unsupported elliptic curve");
      // elliptic.Unmarshal: uncompressed form only, and the point must be on the curve.
      if (keyBytes.length !== 1 + 2 * curve.size || keyBytes[0] !== 0x04 || !pointOnCurve(curve.name, keyBytes)) {
        fail("x509: failed to unmarshal elliptic curve point");
      }
      return {
        algorithm: "ecdsa",
        curve: curve.name,
        x: keyBytes.subarray(1, 1 + curve.size),
        y: keyBytes.subarray(1 + curve.size),
        bits: curve.size === 66 ? 521 : curve.size * 8,
        spki,
      };
    }
    case OID.ed25519:
      if (ai.params) fail("x509: Ed25519 key encoded with illegal parameters");
      if (keyBytes.length !== 32) fail("x509: wrong Ed25519 public key size");
      return { algorithm: "ed25519", raw: keyBytes, bits: 256, spki };
    case OID.x25519:
      // Go < 1.20 does not know X25519 here (PublicKey stays nil); 1.20+ parses it with crypto/ecdh.
      if (ai.params)
        failures.push({ error: "x509: X25519 key encoded with illegal parameters", when: "x25519-parsed" });
      else if (keyBytes.length !== 32)
        failures.push({ error: "crypto/ecdh: invalid public key", when: "x25519-parsed" });
      return { algorithm: "x25519", raw: keyBytes, spki };
    case OID.dsa: {
      const y = der.readInteger() ?? fail("x509: invalid DSA public key");
      const p = new DerReader(ai.params ?? new Uint8Array(0));
      const params = p.read(Tag.SEQUENCE);
      const pr = params ? new DerReader(params) : null;
      const P = pr?.readInteger();
      const Q = pr?.readInteger();
      const G = pr?.readInteger();
      if (!P || !Q || !G) fail("x509: invalid DSA parameters");
      for (const i of [y, P, Q, G])
        if (i.negative || integerValue(i) === 0n) fail("x509: zero or negative DSA parameter");
      return { algorithm: "dsa", spki };
    }
    default:
      // UnknownPublicKeyAlgorithm: Go does not parse the key and does not fail.
      return { algorithm: "unknown", spki };
  }
}

/** asn1.BitString.RightAlign: the bits shifted so that the padding is at the front. */
function rightAlign(b: Uint8Array, unusedBits: number): Uint8Array {
  const shift = unusedBits;
  if (shift === 0 || b.length === 0) return b;
  const a = new Uint8Array(b.length);
  a[0] = b[0]! >> shift;
  for (let i = 1; i < b.length; i++) a[i] = ((b[i - 1]! << (8 - shift)) & 0xff) | (b[i]! >> shift);
  return a;
}

function bitLength(magnitude: Uint8Array): number {
  if (magnitude.length === 0 || (magnitude.length === 1 && magnitude[0] === 0)) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}

function derTlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), Buffer.from(content)]);
}

/** elliptic.Unmarshal's on-curve check, on the point as Go sees it (right-aligned), via an SPKI built for node. */
const CURVE_OID_DER: Record<string, string> = {
  "P-224": "06052b81040021",
  "P-256": "06082a8648ce3d030107",
  "P-384": "06052b81040022",
  "P-521": "06052b81040023",
};

function pointOnCurve(curve: string, point: Uint8Array): boolean {
  const ecOid = Buffer.from("06072a8648ce3d0201", "hex");
  const curveOid = Buffer.from(CURVE_OID_DER[curve]!, "hex");
  const spki = derTlv(
    0x30,
    Buffer.concat([derTlv(0x30, Buffer.concat([ecOid, curveOid])), derTlv(0x03, Buffer.concat([Buffer.of(0), point]))]),
  );
  try {
    createPublicKey({ key: spki, format: "der", type: "spki" });
    return true;
  } catch {
    return false;
  }
}

// --- extensions ----------------------------------------------------------------------------------------

interface Extension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

function parseExtension(der: Uint8Array, fail: (e: string) => never): Extension {
  const r = new DerReader(der);
  const oid = oidOf(r) ?? fail("x509: malformed extension OID field");
  let critical = false;
  if (r.peekTag(Tag.BOOLEAN)) {
    const b = r.readBoolean();
    if (b === null) fail("x509: malformed extension critical field");
    critical = b!;
  }
  const value = r.read(Tag.OCTET_STRING) ?? fail("x509: malformed extension value field");
  return { oid, critical, value };
}

function ipString(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join(".");
  // net.IP.String prints an IPv4-mapped IPv6 address (::ffff:a.b.c.d) in dotted form.
  if (b.length === 16 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)
    return Array.from(b.subarray(12)).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Go's net.IP.String compresses the longest run of zero groups.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen && j - i >= 2) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

function processExtensions(out: GoCertificate, exts: Extension[], fail: (e: string) => never): void {
  for (const e of exts) {
    let unhandled = false;
    const parts = e.oid.split(".");
    if (parts.length === 4 && parts[0] === "2" && parts[1] === "5" && parts[2] === "29") {
      const v = new DerReader(e.value);
      switch (Number(parts[3])) {
        case 15: {
          const bits = v.readBitString() ?? fail("x509: invalid key usage");
          let usage = 0;
          for (let i = 0; i < 9; i++) {
            const byte = bits.bytes[i >> 3];
            if (byte !== undefined && i < bits.bytes.length * 8 - bits.unusedBits && (byte >> (7 - (i & 7))) & 1)
              usage |= 1 << i;
          }
          out.keyUsage = usage;
          out.hasKeyUsage = true;
          break;
        }
        case 19: {
          // Go 1.19 names the failing step ("a", "b", "c") and reads pathLen as a signed int64; Go ≥ 1.22 reads it as
          // unsigned (up to MaxInt) with one text (golang/go#60706).
          const u = F.basicConstraintsUnsigned;
          const bcFail = (step: string): never =>
            fail(u ? "x509: invalid basic constraints" : `x509: invalid basic constraints ${step}`);
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? bcFail("a"));
          let isCA = false;
          if (seq.peekTag(Tag.BOOLEAN)) {
            const b = seq.readBoolean();
            if (b === null) bcFail("b");
            isCA = b!;
          }
          let maxPathLen = -1n;
          if (seq.peekTag(Tag.INTEGER)) {
            const i = seq.readInteger();
            if (!i) bcFail("c");
            const value = integerValue(i!);
            if (u ? i!.negative || value > 2n ** 63n - 1n : i!.bytes.length > 8) bcFail("c");
            maxPathLen = value;
          }
          out.isCA = isCA;
          out.maxPathLenExact = maxPathLen;
          out.maxPathLen = Number(maxPathLen);
          out.basicConstraintsValid = true;
          break;
        }
        case 17: {
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid subject alternative names"));
          while (!seq.empty()) {
            const san = seq.readAny() ?? fail("x509: invalid subject alternative name");
            const tag = san.tag ^ 0x80;
            if (tag === 1) {
              if (!isIA5(san.content)) fail("x509: SAN rfc822Name is malformed");
              out.emailAddresses.push(Buffer.from(san.content).toString("latin1"));
            } else if (tag === 2) {
              if (!isIA5(san.content)) fail("x509: SAN dNSName is malformed");
              out.dnsNames.push(Buffer.from(san.content).toString("latin1"));
            } else if (tag === 6) {
              if (!isIA5(san.content)) fail("x509: SAN uniformResourceIdentifier is malformed");
              const uriStr = Buffer.from(san.content).toString("latin1");
              const u = goUrlParse(uriStr);
              if ("error" in u) fail(`x509: cannot parse URI ${goQuote(uriStr)}: ${u.error}`);
              const host = (u as { host: string }).host;
              if (host.length > 0 && !domainToReverseLabels(host))
                fail(`x509: cannot parse URI ${goQuote(uriStr)}: invalid domain`);
              out.uris.push(goUrlString(uriStr));
            } else if (tag === 7) {
              if (san.content.length !== 4 && san.content.length !== 16) {
                fail(`x509: cannot parse IP address of length ${san.content.length}`);
              }
              out.ipAddresses.push(ipString(san.content));
            }
          }
          if (!out.dnsNames.length && !out.emailAddresses.length && !out.ipAddresses.length && !out.uris.length)
            unhandled = true;
          break;
        }
        case 30: {
          const handledAll = parseNameConstraints(e.value, fail);
          if (!handledAll) unhandled = true;
          break;
        }
        case 31: {
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid CRL distribution points"));
          while (!seq.empty()) {
            const dp = new DerReader(seq.read(Tag.SEQUENCE) ?? fail("x509: invalid CRL distribution point"));
            const name = dp.readOptional(contextTag(0, true)) ?? fail("x509: invalid CRL distribution point");
            if (!name.present) continue;
            const names = new DerReader(
              new DerReader(name.content).read(contextTag(0, true)) ?? fail("x509: invalid CRL distribution point"),
            );
            while (!names.empty()) {
              if (!names.peekTag(contextTag(6))) break;
              if (!names.read(contextTag(6))) fail("x509: invalid CRL distribution point");
            }
          }
          break;
        }
        case 35: {
          if (e.critical && F.rejectsCriticalIdExtensions)
            fail("x509: authority key identifier incorrectly marked critical");
          const akid = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid authority key identifier"));
          if (akid.peekTag(contextTag(0))) {
            const id = akid.read(contextTag(0)) ?? fail("x509: invalid authority key identifier");
            out.authorityKeyId = hex(id);
          }
          break;
        }
        case 36: {
          if (!F.parsesPolicyExtensions) {
            unhandled = true;
            break;
          }
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid policy constraints extension"));
          for (const n of [0, 1]) {
            if (seq.peekTag(contextTag(n)) && seq.readSmallInteger(contextTag(n)) === null) {
              fail("x509: invalid policy constraints extension");
            }
          }
          break;
        }
        case 37: {
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid extended key usages"));
          while (!seq.empty()) {
            const oid = oidOf(seq) ?? fail("x509: invalid extended key usages");
            const known = EKU[oid];
            if (known) out.extKeyUsage.push(known);
            else out.unknownExtKeyUsage.push(oid);
          }
          break;
        }
        case 14: {
          if (e.critical && F.rejectsCriticalIdExtensions)
            fail("x509: subject key identifier incorrectly marked critical");
          const id = v.read(Tag.OCTET_STRING) ?? fail("x509: invalid subject key identifier");
          out.subjectKeyId = hex(id);
          break;
        }
        case 32: {
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid certificate policies"));
          const seen = new Set<string>();
          while (!seq.empty()) {
            const cp = seq.read(Tag.SEQUENCE) ?? fail("x509: invalid certificate policies");
            const r = new DerReader(cp);
            if (F.policiesAsRawOids) {
              // Go ≥ 1.22: the raw OID, no repeats, then newOIDFromDER (any size, minimal, complete).
              const raw = r.read(Tag.OBJECT_IDENTIFIER);
              if (!raw || raw.length === 0) fail("x509: invalid certificate policies");
              const key = hex(raw);
              if (seen.has(key)) fail("x509: invalid certificate policies");
              seen.add(key);
              if (!validRawOid(raw)) fail("x509: invalid certificate policies");
            } else if (oidOf(r) === null) {
              // Go 1.19: ReadASN1ObjectIdentifier, repeats allowed.
              fail("x509: invalid certificate policies");
            }
          }
          break;
        }
        case 33: {
          if (!F.parsesPolicyExtensions) {
            unhandled = true;
            break;
          }
          const seq = new DerReader(v.read(Tag.SEQUENCE) ?? fail("x509: invalid policy mappings extension"));
          while (!seq.empty()) {
            const s = seq.read(Tag.SEQUENCE);
            const sr = s && new DerReader(s);
            if (!sr || !sr.read(Tag.OBJECT_IDENTIFIER) || !sr.read(Tag.OBJECT_IDENTIFIER))
              fail("x509: invalid policy mappings extension");
          }
          break;
        }
        case 54:
          if (!F.parsesPolicyExtensions) {
            unhandled = true;
            break;
          }
          if (!v.readInteger()) fail("x509: invalid inhibit any policy extension");
          break;
        default:
          unhandled = true;
      }
    } else if (e.oid === OID.aia) {
      if (e.critical && F.rejectsCriticalIdExtensions) fail("x509: authority info access incorrectly marked critical");
      const seq = new DerReader(
        new DerReader(e.value).read(Tag.SEQUENCE) ?? fail("x509: invalid authority info access"),
      );
      while (!seq.empty()) {
        const aia = new DerReader(seq.read(Tag.SEQUENCE) ?? fail("x509: invalid authority info access"));
        if (oidOf(aia) === null) fail("x509: invalid authority info access");
        if (!aia.peekTag(contextTag(6))) continue;
        if (!aia.read(contextTag(6))) fail("x509: invalid authority info access");
      }
    } else {
      unhandled = true;
    }
    if (e.critical && unhandled) out.unhandledCriticalExtensions.push(e.oid);
  }
}

/** x509's newOIDFromDER: non-empty, no sub-identifier starting with 0x80, the last one complete. */
function validRawOid(der: Uint8Array): boolean {
  if (der.length === 0 || (der[der.length - 1]! & 0x80) !== 0) return false;
  let start = true;
  for (const b of der) {
    if (start && b === 0x80) return false;
    start = (b & 0x80) === 0;
  }
  return true;
}

/** crypto/x509 domainToReverseLabels (verify.go): non-empty labels of runes 33–126, no trailing dot. */
function domainToReverseLabels(domain: string): boolean {
  const labels: string[] = [];
  let d = domain;
  while (d.length > 0) {
    const i = d.lastIndexOf(".");
    if (i === -1) {
      labels.push(d);
      d = "";
    } else {
      labels.push(d.slice(i + 1));
      d = d.slice(0, i);
    }
  }
  if (labels.length > 0 && labels[0]!.length === 0) return false;
  for (const label of labels) {
    if (label.length === 0) return false;
    for (const ch of label) {
      const c = ch.codePointAt(0)!;
      if (c < 33 || c > 126) return false;
    }
  }
  return true;
}

/** domainToReverseLabels over the bytes of a Go string: invalid UTF-8 decodes to U+FFFD, which is refused anyway. */
function domainBytesOk(b: Uint8Array): boolean {
  return domainToReverseLabels(Buffer.from(b).toString("utf8"));
}

/** crypto/x509 parseRFC2821Mailbox (verify.go), as a yes/no. */
function rfc2821MailboxOk(inp: Uint8Array): boolean {
  if (inp.length === 0) return false;
  let i = 0;
  const local: number[] = [];
  if (inp[0] === 0x22) {
    i = 1;
    for (;;) {
      if (i >= inp.length) return false;
      const c = inp[i++]!;
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (i >= inp.length) return false;
        const n = inp[i]!;
        if (n === 11 || n === 12 || (n >= 1 && n <= 9) || (n >= 14 && n <= 127)) {
          local.push(n);
          i++;
        } else return false;
      } else if (
        c === 11 ||
        c === 12 ||
        c === 32 ||
        c === 33 ||
        c === 127 ||
        (c >= 1 && c <= 8) ||
        (c >= 14 && c <= 31) ||
        (c >= 35 && c <= 91) ||
        (c >= 93 && c <= 126)
      ) {
        local.push(c);
      } else return false;
    }
  } else {
    const atext = (c: number) =>
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      "!#$%&'*+-/=?^_`{|}~.".includes(String.fromCharCode(c));
    while (i < inp.length) {
      const c = inp[i]!;
      if (c === 0x5c) {
        i++;
        if (i >= inp.length) return false;
        local.push(inp[i]!);
        i++;
      } else if (atext(c)) {
        local.push(c);
        i++;
      } else break;
    }
    if (local.length === 0) return false;
    const l = Buffer.from(local).toString("latin1");
    if (l.startsWith(".") || l.endsWith(".") || l.includes("..")) return false;
  }
  if (i >= inp.length || inp[i] !== 0x40) return false;
  return domainBytesOk(inp.subarray(i + 1));
}

/** isValidIPMask: ones, then zeros. */
function validIpMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

/** net.parseIPv4 (Go 1.19 net/ip.go): four decimal fields up to 255, no leading zeros. */
function goParseIPv4(s: string): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  return parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255 && !(p.length > 1 && p[0] === "0"));
}

/** net.parseIPv6 (Go 1.19 net/ip.go): hex groups up to 0xFFFF, one "::", an IPv4 tail allowed, 16 bytes, no zone. */
function goParseIPv6(s: string): boolean {
  let groups = 0;
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith("::")) {
    ellipsis = 0;
    i = 2;
    if (i === s.length) return true;
  }
  while (i < s.length) {
    const m = /^[0-9a-fA-F]+/.exec(s.slice(i)); // xtoi: any number of digits, the value at most 0xFFFF
    if (!m || parseInt(m[0].slice(0, 8), 16) > 0xffff || (m[0].length > 8 && /[1-9a-fA-F]/.test(m[0].slice(0, -4))))
      return false;
    const rest = s.slice(i + m[0].length);
    if (rest.startsWith(".")) {
      // An IPv4 tail: it must end the address and fit.
      if (ellipsis < 0 && groups !== 6) return false;
      if (groups + 2 > 8) return false;
      if (!goParseIPv4(s.slice(i))) return false;
      groups += 2;
      break;
    }
    groups++;
    i += m[0].length;
    if (i === s.length) break;
    if (s[i] !== ":" || i + 1 === s.length) return false;
    i++;
    if (s[i] === ":") {
      if (ellipsis >= 0) return false;
      ellipsis = groups;
      i++;
      if (i === s.length) break;
    }
    if (groups >= 8) return false;
  }
  if (ellipsis < 0) return groups === 8;
  return groups < 8;
}

/** net.ParseIP succeeds: IPv4 when the first separator is '.', IPv6 when it is ':'. */
function isGoIp(s: string): boolean {
  for (const c of s) {
    if (c === ".") return goParseIPv4(s);
    if (c === ":") return goParseIPv6(s);
  }
  return false;
}

/**
 * parseNameConstraintsExtension (Go 1.19 parser.go, unchanged in later Go for these checks): the structure, then
 * every dNSName, iPAddress, rfc822Name and URI constraint. Returns false when a name type Go does not handle appears
 * (a critical extension then counts as unhandled).
 */
function parseNameConstraints(value: Uint8Array, fail: (e: string) => never): boolean {
  const v = new DerReader(value);
  const top = v.read(Tag.SEQUENCE);
  if (!top || !v.empty()) fail("x509: invalid NameConstraints extension");
  const t = new DerReader(top);
  const permitted = t.readOptional(contextTag(0, true));
  const excluded = permitted && t.readOptional(contextTag(1, true));
  if (!permitted || !excluded || !t.empty()) fail("x509: invalid NameConstraints extension");
  if ((!permitted.present && !excluded.present) || (permitted.content.length === 0 && excluded.content.length === 0)) {
    fail("x509: empty name constraints extension");
  }
  let handled = true;
  for (const subtrees of [permitted.content, excluded.content]) {
    const r = new DerReader(subtrees);
    while (!r.empty()) {
      const seq = r.read(Tag.SEQUENCE);
      const el = seq && new DerReader(seq).readAny();
      if (!el) fail("x509: invalid NameConstraints extension");
      const { tag, content } = el;
      const text = Buffer.from(content).toString("latin1");
      const ia5 = () => {
        if (!isIA5(content)) fail(`x509: invalid constraint value: ${ia5Error(content)}`);
      };
      switch (tag) {
        case contextTag(2): {
          ia5();
          const d = text.startsWith(".") ? text.slice(1) : text;
          if (!domainToReverseLabels(d)) fail(`x509: failed to parse dnsName constraint ${goQuote(text)}`);
          break;
        }
        case contextTag(7): {
          if (content.length !== 8 && content.length !== 32)
            fail(`x509: IP constraint contained value of length ${content.length}`);
          const mask = content.subarray(content.length / 2);
          if (!validIpMask(mask)) fail(`x509: IP constraint contained invalid mask ${hex(mask)}`);
          break;
        }
        case contextTag(1): {
          ia5();
          if (text.includes("@")) {
            if (!rfc2821MailboxOk(content)) fail(`x509: failed to parse rfc822Name constraint ${goQuote(text)}`);
          } else {
            const d = text.startsWith(".") ? text.slice(1) : text;
            if (!domainToReverseLabels(d)) fail(`x509: failed to parse rfc822Name constraint ${goQuote(text)}`);
          }
          break;
        }
        case contextTag(6): {
          ia5();
          if (isGoIp(text)) fail(`x509: failed to parse URI constraint ${goQuote(text)}: cannot be IP address`);
          const d = text.startsWith(".") ? text.slice(1) : text;
          if (!domainToReverseLabels(d)) fail(`x509: failed to parse URI constraint ${goQuote(text)}`);
          break;
        }
        default:
          handled = false;
      }
    }
  }
  return handled;
}

/** isIA5String's error text for the first non-ASCII rune. */
function ia5Error(b: Uint8Array): string {
  return `x509: ${goQuoteBytes(b)} cannot be encoded as an IA5String`;
}
