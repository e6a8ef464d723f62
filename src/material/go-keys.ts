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
import { DerReader, Tag } from "./der.js";
import { type Asn1Schema, type Asn1Struct, type Asn1Value, type RawValue, unmarshal } from "./go-asn1.js";
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

// The Go structs asn1.Unmarshal fills (crypto/x509 pkcs1.go, pkcs8.go, sec1.go; crypto/x509/pkix AlgorithmIdentifier).
const PKCS1_SCHEMA: Asn1Schema = {
  kind: "struct",
  fields: [
    ["version", { kind: "int" }],
    ["n", { kind: "bigint" }],
    ["e", { kind: "int" }],
    ["d", { kind: "bigint" }],
    ["p", { kind: "bigint" }],
    ["q", { kind: "bigint" }],
    ["dp", { kind: "bigint" }, { optional: true }],
    ["dq", { kind: "bigint" }, { optional: true }],
    ["qinv", { kind: "bigint" }, { optional: true }],
    [
      "additionalPrimes",
      {
        kind: "sliceOf",
        elem: {
          kind: "struct",
          fields: [
            ["prime", { kind: "bigint" }],
            ["exp", { kind: "bigint" }],
            ["coeff", { kind: "bigint" }],
          ],
        },
      },
      { optional: true },
    ],
  ],
};

const PKCS8_SCHEMA: Asn1Schema = {
  kind: "struct",
  fields: [
    ["version", { kind: "int" }],
    [
      "algo",
      {
        kind: "struct",
        fields: [
          ["algorithm", { kind: "oid" }],
          ["parameters", { kind: "raw" }, { optional: true }],
        ],
      },
    ],
    ["privateKey", { kind: "bytes" }],
  ],
};

const EC_SCHEMA: Asn1Schema = {
  kind: "struct",
  fields: [
    ["version", { kind: "int" }],
    ["privateKey", { kind: "bytes" }],
    ["namedCurveOID", { kind: "oid" }, { optional: true, explicit: true, tag: 0 }],
    ["publicKey", { kind: "bitstring" }, { optional: true, explicit: true, tag: 1 }],
  ],
};

/** asn1.Unmarshal into a struct: its fields, or null when Go returns an error. */
function unmarshalStruct(der: Uint8Array, schema: Asn1Schema, noTrailing = false): Asn1Struct | null {
  const r = unmarshal(der, schema);
  if ("error" in r) return null;
  if (noTrailing && r.rest.length > 0) return null; // "x509: trailing data" (ParsePKCS1PrivateKey only)
  return r.value as Asn1Struct;
}

function magnitude(v: bigint): Uint8Array {
  let h = v.toString(16);
  if (h.length % 2) h = `0${h}`;
  return Uint8Array.from(Buffer.from(h, "hex"));
}

/** ParsePKCS1PrivateKey (Go 1.19 pkcs1.go), then rsa.Validate (crypto/rsa/rsa.go). */
function parsePkcs1(der: Uint8Array): GoPrivateKey | null {
  const k = unmarshalStruct(der, PKCS1_SCHEMA, true);
  if (!k) return null;
  const version = k.version as bigint;
  const N = k.n as bigint;
  const e = k.e as bigint;
  const D = k.d as bigint;
  const P = k.p as bigint;
  const Q = k.q as bigint;
  if (version > 1n) return null; // "x509: unsupported private key version"
  if (N <= 0n || D <= 0n || P <= 0n || Q <= 0n) return null; // "x509: private key contains zero or negative value"
  const extra: bigint[] = [];
  for (const a of (k.additionalPrimes as Asn1Struct[] | undefined) ?? []) {
    const prime = a.prime as bigint;
    if (prime <= 0n) return null; // "x509: private key contains zero or negative prime"
    extra.push(prime);
  }
  // rsa.Validate: checkPub (E in [2, 2^31-1]), every prime > 1, N = product of primes, D·E ≡ 1 (mod prime−1).
  if (e < 2n || e > 2n ** 31n - 1n) return null;
  const primes = [P, Q, ...extra];
  let product = 1n;
  for (const prime of primes) {
    if (prime <= 1n) return null;
    product *= prime;
  }
  if (product !== N) return null;
  for (const prime of primes) if ((D * e) % (prime - 1n) !== 1n) return null;
  return { algorithm: "rsa", encoding: "pkcs1", bits: bitLen(N), rsaModulus: magnitude(N) };
}

function oidString(oid: Asn1Value): string | null {
  return Array.isArray(oid) && oid.length > 0 ? (oid as number[]).join(".") : null;
}

/**
 * parseECPrivateKey(namedCurveOID, der) (Go 1.19 sec1.go): the wrapper's curve, when given, wins over the key's own
 * [0]. Go 1.19 accepts a zero scalar (ScalarBaseMult then yields the point at infinity, which the legacy API
 * represents as (0, 0)), so such a key parses and can match no certificate.
 */
function parseSec1(der: Uint8Array, curveFromWrapper: string | null, encoding: KeyEncoding): GoPrivateKey | null {
  const k = unmarshalStruct(der, EC_SCHEMA);
  if (!k) return null;
  if ((k.version as bigint) !== 1n) return null; // "x509: unknown EC private key version %d"
  const curveOid = curveFromWrapper ?? oidString(k.namedCurveOID);
  const curve = curveOid ? CURVES[curveOid] : undefined;
  if (!curve) return null; // "x509: unknown elliptic curve"
  let scalar = k.privateKey as Uint8Array;
  if (toBig(scalar) >= curve.order) return null; // "x509: invalid elliptic curve private key value"
  // Leading zero bytes beyond the curve size are stripped; anything else is "x509: invalid private key length".
  while (scalar.length > curve.size) {
    if (scalar[0] !== 0) return null;
    scalar = scalar.subarray(1);
  }
  const padded = Buffer.alloc(curve.size);
  Buffer.from(scalar).copy(padded, curve.size - scalar.length);
  const base = {
    algorithm: "ecdsa" as const,
    encoding,
    bits: curve.size === 66 ? 521 : curve.size * 8,
    curve: curve.name,
  };
  if (toBig(scalar) === 0n) return { ...base, x: Uint8Array.of(0), y: Uint8Array.of(0) };
  let pub: Buffer;
  try {
    const ecdh = createECDH(curve.node);
    ecdh.setPrivateKey(padded);
    pub = ecdh.getPublicKey(null, "uncompressed");
  } catch {
    return null;
  }
  return { ...base, x: pub.subarray(1, 1 + curve.size), y: pub.subarray(1 + curve.size) };
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

/** asn1.Unmarshal(der, &[]byte{}): an OCTET STRING's content (trailing bytes ignored), or null. */
function octetString(der: Uint8Array): Uint8Array | null {
  const r = unmarshal(der, { kind: "bytes" });
  return "error" in r ? null : (r.value as Uint8Array);
}

/** ParsePKCS8PrivateKey (Go 1.19 pkcs8.go): the wrapper, then the inner key by algorithm. Null when the wrapper fails. */
function parsePkcs8(der: Uint8Array): Pkcs8Result | null {
  const k = unmarshalStruct(der, PKCS8_SCHEMA);
  if (!k) return null;
  const algo = k.algo as Asn1Struct;
  const oid = oidString(algo.algorithm);
  const params = algo.parameters as RawValue | undefined;
  const inner = k.privateKey as Uint8Array;
  switch (oid) {
    case OID_RSA: {
      // The parameters are not looked at.
      const key = parsePkcs1(inner);
      return { key: key && { ...key, encoding: "pkcs8" }, kind: "rsa", x25519: false };
    }
    case OID_EC: {
      // asn1.Unmarshal(Parameters.FullBytes, namedCurveOID): anything but a well-formed OID (absent parameters
      // included) leaves the curve to the inner SEC1 structure.
      const r = params ? unmarshal(params.fullBytes, { kind: "oid" }) : null;
      const curveOid = r && !("error" in r) ? oidString(r.value) : null;
      if (curveOid && !CURVES[curveOid]) return { key: null, kind: "ec-unsupported-curve", x25519: false };
      return { key: parseSec1(inner, curveOid, "pkcs8"), kind: "ecdsa", x25519: false };
    }
    case OID_ED25519: {
      if (params && params.fullBytes.length > 0) return { key: null, kind: "ed25519", x25519: false };
      const seed = octetString(inner);
      if (!seed || seed.length !== 32) return { key: null, kind: "ed25519", x25519: false };
      const pub = ed25519Public(seed);
      return {
        key: pub && { algorithm: "ed25519", encoding: "pkcs8", bits: 256, raw: pub },
        kind: "ed25519",
        x25519: false,
      };
    }
    case OID_X25519: {
      // Go >= 1.20 (pkcs8.go): no parameters, an OCTET STRING of 32 bytes (ecdh.X25519().NewPrivateKey).
      const seed = params ? null : octetString(inner);
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
  try {
    return parseAll(der, pemType, headers);
  } catch {
    // Never throw: a decoder fault counts as what Go would say of bytes it cannot parse.
    return { key: null, kind: "unknown", x25519: false };
  }
}

function parseAll(der: Uint8Array, pemType: string, headers: ReadonlyArray<[string, string]>): GoPrivateKeyParse {
  const pkcs1 = parsePkcs1(der);
  if (pkcs1) return { key: pkcs1, kind: "rsa", x25519: false };
  const pkcs8 = parsePkcs8(der);
  if (pkcs8 && (pkcs8.key || pkcs8.x25519)) return pkcs8;
  const sec1 = parseSec1(der, null, "sec1");
  if (sec1) return { key: sec1, kind: "ecdsa", x25519: false };
  return { key: null, kind: pkcs8 ? pkcs8.kind : classifyUnparsed(der, pemType, headers), x25519: false };
}
