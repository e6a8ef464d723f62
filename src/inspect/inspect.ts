/**
 * `certsd-lint inspect`: what Go sees in a file, as one JSON object (schema/inspect.v1.schema.json). Pure: bytes in,
 * object out, built only on the material decoders (src/material/), under one Go profile. Never contains key bytes:
 * a key is described by its encoding, algorithm, size and curve, never by its values.
 */
import type { GoProfile } from "../material/go-profile.js";
import { goPrivateKeyError } from "../material/go-keys.js";
import { appendCertsFromPem, x509KeyPair } from "../material/go-tls.js";
import { goAcceptedCertificate, goCertificateError } from "../material/go-x509.js";
import { type CertificateBlock, decodeMaterial, type FileMaterial, type KeyBlock } from "../material/material.js";
import type { ContentFormat } from "../material/material.js";
import type { HiddenBlock } from "../material/pem.js";

export const INSPECT_SCHEMA = "certsd-lint/inspect/v1";

export interface InspectInput {
  path: string;
  data: Uint8Array;
}

export interface InspectBlock {
  index: number;
  line: number;
  /** The type as Go's string(typeLine) prints it (bytes that are not UTF-8 as U+FFFD). */
  type: string;
  headers: Record<string, string>;
  /** Decoded bytes in the block. */
  length: number;
}

export interface InspectCertificate {
  /** Index of the PEM block; -1 when the file itself is one DER certificate. */
  block: number;
  line: number;
  /** Go's x509.ParseCertificate error, or null when it parses. */
  error: string | null;
  sha256: string;
  /** The fields below only when error is null. */
  subject?: string | null;
  issuer?: string | null;
  dnsNames?: string[];
  ipAddresses?: string[];
  emailAddresses?: string[];
  uris?: string[];
  /** RFC 3339 in UTC, as Go's time.Time prints with RFC3339Nano. */
  notBefore?: string;
  notAfter?: string;
  basicConstraintsValid?: boolean;
  isCA?: boolean;
  /** Present when basicConstraintsValid; a decimal string when it does not fit a JSON number exactly. */
  maxPathLen?: number | string;
  keyUsage?: number;
  extKeyUsage?: string[];
  unhandledCriticalExtensions?: string[];
  publicKey?: { algorithm: string; bits?: number; curve?: string };
}

export interface InspectKey {
  block: number;
  line: number;
  type: string;
  encrypted: boolean;
  /** What the bytes are, whether or not Go accepts them. */
  kind: string;
  /** tls.X509KeyPair's key-parsing error, or null when the key parses. */
  error: string | null;
  encoding?: string;
  algorithm?: string;
  bits?: number;
  curve?: string;
}

export interface InspectPool {
  /** The blocks AppendCertsFromPEM adds, in order. */
  added: number[];
  skipped: Array<{ block: number; type: string; reason: string; error?: string }>;
}

export interface InspectFile {
  path: string;
  size: number;
  format: ContentFormat;
  bom: boolean;
  crlf: boolean;
  blocks: InspectBlock[];
  /** Bytes Go's pem.Decode loop leaves after the last block (the whole file when there is none). */
  restLength: number;
  /** BEGIN lines Go did not decode, and why. */
  hidden: HiddenBlock[];
  certificates: InspectCertificate[];
  keys: InspectKey[];
  pool: InspectPool;
}

export interface InspectPair {
  certificate: string;
  key: string;
  ok: boolean;
  /** tls.X509KeyPair's error, or null. */
  error: string | null;
  stage?: string;
  /** On success: the leaf's position and the chain length. */
  chainLength?: number;
}

export interface InspectReport {
  schema: typeof INSPECT_SCHEMA;
  go: { toolchain: string; godebug: string };
  files: InspectFile[];
  /** With a key file: X509KeyPair(file, key file) for each file. */
  pairs?: InspectPair[];
}

/** Go's time.Time RFC3339Nano rendering of a UTC instant. */
export function goRfc3339(d: Date): string {
  const iso = d.toISOString();
  return iso.replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z");
}

function certificate(c: CertificateBlock, go: GoProfile): InspectCertificate {
  const error = goCertificateError(c.parse, go);
  const base = { block: c.blockIndex, line: c.line, error, sha256: c.sha256 };
  const cert = error === null ? goAcceptedCertificate(c.parse, go) : null;
  if (!cert) return base;
  const pk = cert.publicKey;
  return {
    ...base,
    subject: c.description?.subject ?? null,
    issuer: c.description?.issuer ?? null,
    dnsNames: cert.dnsNames,
    ipAddresses: cert.ipAddresses,
    emailAddresses: cert.emailAddresses,
    uris: cert.uris,
    notBefore: goRfc3339(cert.notBefore),
    notAfter: goRfc3339(cert.notAfter),
    basicConstraintsValid: cert.basicConstraintsValid,
    isCA: cert.isCA,
    ...(cert.basicConstraintsValid
      ? {
          maxPathLen: Number.isSafeInteger(Number(cert.maxPathLenExact))
            ? Number(cert.maxPathLenExact)
            : cert.maxPathLenExact.toString(),
        }
      : {}),
    keyUsage: cert.keyUsage,
    extKeyUsage: [...cert.extKeyUsage, ...cert.unknownExtKeyUsage],
    unhandledCriticalExtensions: cert.unhandledCriticalExtensions,
    publicKey: {
      algorithm: pk.algorithm,
      ...(pk.bits !== undefined ? { bits: pk.bits } : {}),
      ...(pk.curve !== undefined ? { curve: pk.curve } : {}),
    },
  };
}

function key(k: KeyBlock, go: GoProfile): InspectKey {
  const error = goPrivateKeyError(k.parse, go);
  const base = { block: k.blockIndex, line: k.line, type: k.type, encrypted: k.encrypted, kind: k.parse.kind, error };
  const parsed = error === null ? k.parse.key : null;
  if (!parsed) return base;
  return {
    ...base,
    encoding: parsed.encoding,
    algorithm: parsed.algorithm,
    bits: parsed.bits,
    ...(parsed.curve !== undefined ? { curve: parsed.curve } : {}),
  };
}

function file(input: InspectInput, m: FileMaterial, go: GoProfile): InspectFile {
  const pool = appendCertsFromPem(m, go);
  const last = m.blocks[m.blocks.length - 1];
  const certificates = m.derCertificate ? [m.derCertificate] : m.certificates;
  return {
    path: input.path,
    size: input.data.byteLength,
    format: m.format,
    bom: m.bom,
    crlf: m.crlf,
    blocks: m.blocks.map((b, index) => ({
      index,
      line: b.line,
      type: b.type,
      headers: Object.fromEntries(b.headers),
      length: b.bytes.byteLength,
    })),
    restLength: input.data.byteLength - (last?.end ?? 0),
    hidden: m.hidden,
    certificates: certificates.map((c) => certificate(c, go)),
    keys: m.keys.map((k) => key(k, go)),
    pool: {
      added: pool.added.map((c) => c.blockIndex),
      skipped: pool.skipped.map((s) => ({
        block: s.blockIndex,
        type: s.type,
        reason: s.reason,
        ...(s.error !== undefined ? { error: s.error } : {}),
      })),
    },
  };
}

/** What Go (of `go`) sees in each file, and with `key`, what tls.X509KeyPair(file, key) returns for each. */
export function inspectFiles(inputs: readonly InspectInput[], go: GoProfile, keyFile?: InspectInput): InspectReport {
  const materials = inputs.map((i) => decodeMaterial(i.data, go));
  const report: InspectReport = {
    schema: INSPECT_SCHEMA,
    go: { toolchain: go.toolchain, godebug: go.godebug },
    files: inputs.map((i, n) => file(i, materials[n]!, go)),
  };
  if (keyFile) {
    const km = decodeMaterial(keyFile.data, go);
    report.pairs = inputs.map((i, n) => {
      const r = x509KeyPair(materials[n]!, km, go);
      return r.ok
        ? { certificate: i.path, key: keyFile.path, ok: true, error: null, chainLength: r.chain.length }
        : { certificate: i.path, key: keyFile.path, ok: false, error: r.error, stage: r.stage };
    });
  }
  return report;
}
