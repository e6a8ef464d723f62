/**
 * Go's crypto/tls parsePrivateKey, as a check (golang/go src/crypto/tls/tls.go @ 7926af0ddbd7): the PEM label is
 * ignored; PKCS#1 is tried, then PKCS#8 (RSA, ECDSA, Ed25519 accepted; any other parsed type gives "tls: found
 * unknown private key type in PKCS#8 wrapping"), then SEC1; anything else is "tls: failed to parse private key".
 * Structure checks follow crypto/x509 pkcs1.go, pkcs8.go and sec1.go; RSA consistency follows rsa.Validate.
 *
 * Public values are derived with node:crypto so that a key can be matched against a certificate the way
 * tls.X509KeyPair does it (RSA: modulus only; ECDSA: X and Y; Ed25519: the public key bytes).
 */
import { createECDH, createPrivateKey, createPublicKey } from "node:crypto";
import { DerReader, integerValue, Tag, unsignedMagnitude } from "./der.js";
import { type GoProfile, parsesX25519, rejectsSmallRsa } from "./go-profile.js";

export const TLS_FAILED_TO_PARSE_KEY = "tls: failed to parse private key";
export const TLS_UNKNOWN_PKCS8_KEY = "tls: found unknown private key type in PKCS#8 wrapping";

export type KeyEncoding = "pkcs1" | "pkcs8" | "sec1";

export interface GoPrivateKey {
  algorithm: "rsa" | "ecdsa" | "ed25519";
  encoding: KeyEncoding;
  bits: number;
  curve?: "P-224" | "P-256" | "P-384" | "P-521";
  /** RSA modulus magnitude; ECDSA public X, Y; Ed25519 public key. Never private values. */
  rsaModulus?: Uint8Array;
  x?: Uint8Array;
  y?: Uint8Array;
  raw?: Uint8Array;
}

/** What the bytes are, for messages ("an encrypted PKCS#8 key"), independent of whether Go accepts them. */
export type KeyKind =
  | "rsa"
  | "ecdsa"
  | "ed25519"
  | "x25519"
  | "x448"
  | "ed448"
  | "dsa"
  | "rsa-pss"
  | "ec-unsupported-curve"
  | "encrypted-pkcs8"
  | "encrypted-legacy"
  | "openssh"
  | "unknown";

export interface GoPrivateKeyParse {
  key: GoPrivateKey | null;
  kind: KeyKind;
  /** Set when the bytes are a PKCS#8 X25519 key: Go ≥ 1.20 parses it (and tls rejects its type), older Go cannot. */
  x25519: boolean;
}

/** The error tls.X509KeyPair's key parsing returns under `go`, or null when the key is accepted. */
export function goPrivateKeyError(p: GoPrivateKeyParse, go: GoProfile): string | null {
  if (p.x25519) return parsesX25519(go) ? TLS_UNKNOWN_PKCS8_KEY : TLS_FAILED_TO_PARSE_KEY;
  if (!p.key) return TLS_FAILED_TO_PARSE_KEY;
  if (p.key.algorithm === "rsa" && p.key.bits < 1024 && rejectsSmallRsa(go)) return TLS_FAILED_TO_PARSE_KEY;
  return null;
}

const CURVES: Record<string, { name: NonNullable<GoPrivateKey["curve"]>; node: string; size: number; order: bigint }> =
  {
    "1.3.132.0.33": {
      name: "P-224",
      node: "secp224r1",
      size: 28,
      order: 0xffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3dn,
    },
    "1.2.840.10045.3.1.7": {
      name: "P-256",
      node: "prime256v1",
      size: 32,
      order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    },
    "1.3.132.0.34": {
      name: "P-384",
      node: "secp384r1",
      size: 48,
      order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    },
    "1.3.132.0.35": {
      name: "P-521",
      node: "secp521r1",
      size: 66,
      order:
        0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    },
  };

const OID_RSA = "1.2.840.113549.1.1.1";
const OID_RSA_PSS = "1.2.840.113549.1.1.10";
const OID_EC = "1.2.840.10045.2.1";
const OID_ED25519 = "1.3.101.112";
const OID_X25519 = "1.3.101.110";
const OID_X448 = "1.3.101.111";
const OID_ED448 = "1.3.101.113";
const OID_DSA = "1.2.840.10040.4.1";

function toBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function bitLen(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}

/** encoding/asn1 into pkcs1PrivateKey, then the checks of ParsePKCS1PrivateKey and rsa.Validate. */
function parsePkcs1(der: Uint8Array): GoPrivateKey | null {
  const outer = new DerReader(der);
  const body = outer.read(Tag.SEQUENCE);
  if (!body || !outer.empty()) return null;
  const r = new DerReader(body);
  const version = r.readSmallInteger();
  const n = r.readInteger();
  const e = r.readSmallInteger();
  const d = r.readInteger();
  const p = r.readInteger();
  const q = r.readInteger();
  if (version === null || !n || e === null || !d || !p || !q) return null;
  const extra: bigint[] = [];
  // Optional dp, dq, qinv, then optional additional primes (each SEQUENCE { prime, exp, coeff }).
  for (let i = 0; i < 3 && r.peekTag(Tag.INTEGER); i++) if (!r.readInteger()) return null;
  if (r.peekTag(Tag.SEQUENCE)) {
    const primes = new DerReader(r.read(Tag.SEQUENCE)!);
    while (!primes.empty()) {
      const ap = primes.read(Tag.SEQUENCE);
      if (!ap) return null;
      const apr = new DerReader(ap);
      const prime = apr.readInteger();
      if (!prime || !apr.readInteger() || !apr.readInteger()) return null;
      if (prime.negative || integerValue(prime) === 0n) return null;
      extra.push(integerValue(prime));
    }
  }
  if (version > 1n) return null;
  const N = integerValue(n);
  const D = integerValue(d);
  const P = integerValue(p);
  const Q = integerValue(q);
  if (N <= 0n || D <= 0n || P <= 0n || Q <= 0n) return null;
  // rsa.Validate: E in range, N = product of primes, D·E ≡ 1 (mod prime−1) for every prime.
  if (e < 2n || e > 2n ** 31n - 1n) return null;
  const primes = [P, Q, ...extra];
  let product = 1n;
  for (const prime of primes) {
    if (prime <= 1n) return null;
    product *= prime;
  }
  if (product !== N) return null;
  for (const prime of primes) if ((D * e) % (prime - 1n) !== 1n) return null;
  return { algorithm: "rsa", encoding: "pkcs1", bits: bitLen(N), rsaModulus: unsignedMagnitude(n.bytes) };
}

/** ParseECPrivateKey / parseECPrivateKey(namedCurveOID, der): the wrapper's curve, when given, wins. */
function parseSec1(der: Uint8Array, curveFromWrapper: string | null, encoding: KeyEncoding): GoPrivateKey | null {
  const outer = new DerReader(der);
  const body = outer.read(Tag.SEQUENCE);
  if (!body) return null;
  const r = new DerReader(body);
  const version = r.readSmallInteger();
  const priv = r.read(Tag.OCTET_STRING);
  if (version === null || !priv) return null;
  let curveOid = curveFromWrapper;
  const params = r.readOptional(0xa0);
  if (!params) return null;
  if (params.present) {
    const oid = new DerReader(params.content).readOid();
    if (!oid) return null;
    if (!curveOid) curveOid = oid;
  }
  if (version !== 1n) return null; // "x509: unknown EC private key version %d"
  const curve = curveOid ? CURVES[curveOid] : undefined;
  if (!curve) return null; // "x509: unknown elliptic curve"
  let scalar: Uint8Array = priv;
  if (scalar.length > curve.size) {
    // Go strips leading zero bytes beyond the curve size, and refuses anything else.
    for (let i = 0; i < scalar.length - curve.size; i++) if (scalar[i] !== 0) return null;
    scalar = scalar.subarray(scalar.length - curve.size);
  }
  const k = toBig(scalar);
  if (k === 0n || k >= curve.order) return null; // "x509: invalid elliptic curve private key value"
  const padded = Buffer.alloc(curve.size);
  Buffer.from(scalar).copy(padded, curve.size - scalar.length);
  let pub: Buffer;
  try {
    const ecdh = createECDH(curve.node);
    ecdh.setPrivateKey(padded);
    pub = ecdh.getPublicKey(null, "uncompressed");
  } catch {
    return null;
  }
  return {
    algorithm: "ecdsa",
    encoding,
    bits: curve.size === 66 ? 521 : curve.size * 8,
    curve: curve.name,
    x: pub.subarray(1, 1 + curve.size),
    y: pub.subarray(1 + curve.size),
  };
}

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function ed25519Public(seed: Uint8Array): Uint8Array | null {
  try {
    const priv = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
    const jwk = createPublicKey(priv).export({ format: "jwk" });
    return jwk.x ? Buffer.from(jwk.x, "base64url") : null;
  } catch {
    return null;
  }
}

interface Pkcs8Result {
  key: GoPrivateKey | null;
  kind: KeyKind;
  x25519: boolean;
}

/** ParsePKCS8PrivateKey: the wrapper, then the inner key by algorithm. Null when the wrapper itself fails. */
function parsePkcs8(der: Uint8Array): Pkcs8Result | null {
  const outer = new DerReader(der);
  const body = outer.read(Tag.SEQUENCE);
  if (!body) return null;
  const r = new DerReader(body);
  if (r.readSmallInteger() === null) return null;
  const algo = r.read(Tag.SEQUENCE);
  const inner = r.read(Tag.OCTET_STRING);
  if (!algo || !inner) return null;
  const ar = new DerReader(algo);
  const oid = ar.readOid();
  if (!oid) return null;
  const params = ar.empty() ? null : ar.readAny();
  switch (oid) {
    case OID_RSA: {
      const k = parsePkcs1(inner);
      return { key: k && { ...k, encoding: "pkcs8" }, kind: "rsa", x25519: false };
    }
    case OID_EC: {
      // A parameter that is not an OID counts as absent; the inner SEC1 structure may then name the curve.
      const curveOid = params?.tag === Tag.OBJECT_IDENTIFIER ? new DerReader(params.element).readOid() : null;
      if (curveOid && !CURVES[curveOid]) return { key: null, kind: "ec-unsupported-curve", x25519: false };
      return { key: parseSec1(inner, curveOid, "pkcs8"), kind: "ecdsa", x25519: false };
    }
    case OID_ED25519: {
      if (params) return { key: null, kind: "ed25519", x25519: false };
      const seed = new DerReader(inner).read(Tag.OCTET_STRING);
      if (!seed || seed.length !== 32) return { key: null, kind: "ed25519", x25519: false };
      const pub = ed25519Public(seed);
      return {
        key: pub && { algorithm: "ed25519", encoding: "pkcs8", bits: 256, raw: pub },
        kind: "ed25519",
        x25519: false,
      };
    }
    case OID_X25519: {
      const seed = params ? null : new DerReader(inner).read(Tag.OCTET_STRING);
      return { key: null, kind: "x25519", x25519: seed?.length === 32 };
    }
    case OID_RSA_PSS:
      return { key: null, kind: "rsa-pss", x25519: false };
    case OID_X448:
      return { key: null, kind: "x448", x25519: false };
    case OID_ED448:
      return { key: null, kind: "ed448", x25519: false };
    case OID_DSA:
      return { key: null, kind: "dsa", x25519: false };
    default:
      return { key: null, kind: "unknown", x25519: false };
  }
}

/** Recognises shapes Go can never parse, so a finding can say what the key is. */
function classifyUnparsed(der: Uint8Array, pemType: string, headers: ReadonlyArray<[string, string]>): KeyKind {
  if (headers.some(([k, v]) => k === "Proc-Type" && v.includes("ENCRYPTED"))) return "encrypted-legacy";
  if (pemType === "OPENSSH PRIVATE KEY") return "openssh";
  if (pemType === "ENCRYPTED PRIVATE KEY") return "encrypted-pkcs8";
  const body = new DerReader(der).read(Tag.SEQUENCE);
  if (!body) return "unknown";
  const r = new DerReader(body);
  if (r.peekTag(Tag.SEQUENCE) && r.read(Tag.SEQUENCE) && r.peekTag(Tag.OCTET_STRING)) return "encrypted-pkcs8";
  // Traditional OpenSSL DSA: SEQUENCE { version, p, q, g, y, x }.
  const d = new DerReader(body);
  let ints = 0;
  while (!d.empty() && d.readInteger()) ints++;
  if (ints === 6 && d.empty()) return "dsa";
  return pemType.startsWith("DSA ") ? "dsa" : "unknown";
}

/**
 * Parses a key block's bytes as tls.X509KeyPair would. `pemType`/`headers` only serve the description: like Go,
 * the label never decides how the bytes are parsed.
 */
export function parsePrivateKeyAsGo(
  der: Uint8Array,
  pemType = "PRIVATE KEY",
  headers: ReadonlyArray<[string, string]> = [],
): GoPrivateKeyParse {
  const pkcs1 = parsePkcs1(der);
  if (pkcs1) return { key: pkcs1, kind: "rsa", x25519: false };
  const pkcs8 = parsePkcs8(der);
  if (pkcs8 && (pkcs8.key || pkcs8.x25519)) return pkcs8;
  const sec1 = parseSec1(der, null, "sec1");
  if (sec1) return { key: sec1, kind: "ecdsa", x25519: false };
  return { key: null, kind: pkcs8 ? pkcs8.kind : classifyUnparsed(der, pemType, headers), x25519: false };
}
