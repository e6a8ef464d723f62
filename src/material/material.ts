/**
 * A file's material: everything Go could see in its bytes, decoded once and independent of any runtime or Go
 * version. Runtime models ask version-dependent questions of it through go-tls.ts and go-x509.ts.
 */
import { createHash } from "node:crypto";
import { DerReader, Tag } from "./der.js";
import { type GoPrivateKeyParse, parsePrivateKeyAsGo } from "./go-keys.js";
import type { GoProfile } from "./go-profile.js";
import { type GoCertificateParse, goCertificateError, parseCertificateAsGo } from "./go-x509.js";
import { type HiddenBlock, type PemBlock, scanPem } from "./pem.js";
import { type CertificateDescription, describeCertificate } from "./x509.js";

export interface CertificateBlock {
  /** Index in `blocks`; -1 when the file itself is one DER certificate. */
  blockIndex: number;
  line: number;
  der: Uint8Array;
  hasHeaders: boolean;
  parse: GoCertificateParse;
  /** Subject and issuer (via @peculiar/x509); null when Go could not parse the structure. */
  description: CertificateDescription | null;
  sha256: string;
}

export interface KeyBlock {
  blockIndex: number;
  line: number;
  type: string;
  encrypted: boolean;
  parse: GoPrivateKeyParse;
}

/**
 * - pem: at least one block Go can decode;
 * - der-certificate / der-other: no PEM, but the bytes are DER (a certificate, or something else such as a key);
 * - pkcs12: a PFX bundle; pkcs7: a DER PKCS#7 SignedData (a .p7b of certificates);
 * - empty, text, binary, utf16: nothing Go can use.
 */
export type ContentFormat =
  "empty" | "pem" | "der-certificate" | "der-other" | "pkcs12" | "pkcs7" | "utf16" | "text" | "binary";

export interface FileMaterial {
  format: ContentFormat;
  blocks: PemBlock[];
  hidden: HiddenBlock[];
  bom: boolean;
  crlf: boolean;
  /** Every block of type exactly "CERTIFICATE", with or without headers, in file order. */
  certificates: CertificateBlock[];
  /** Every block tls.X509KeyPair would take as a key: type "PRIVATE KEY" or ending in " PRIVATE KEY". */
  keys: KeyBlock[];
  /** When the whole file is a DER certificate: what Go would see if it were PEM (it never is, for a loader). */
  derCertificate: CertificateBlock | null;
}

type Parsed = Pick<CertificateBlock, "parse" | "description" | "sha256">;

/** `seen`: the certificates already parsed in this file, by SHA-256 (an appended bundle repeats many). */
function certificateBlock(
  der: Uint8Array,
  blockIndex: number,
  line: number,
  hasHeaders: boolean,
  seen?: Map<string, Parsed>,
): CertificateBlock {
  const sha256 = createHash("sha256").update(der).digest("hex");
  let parsed = seen?.get(sha256);
  if (!parsed) {
    const parse = parseCertificateAsGo(der);
    parsed = { parse, description: parse.cert ? describeCertificate(der) : null, sha256 };
    seen?.set(sha256, parsed);
  }
  return { blockIndex, line, der, hasHeaders, ...parsed };
}

export function isKeyBlockType(type: string): boolean {
  return type === "PRIVATE KEY" || type.endsWith(" PRIVATE KEY");
}

function looksLikePkcs12(data: Uint8Array): boolean {
  const body = new DerReader(data).read(Tag.SEQUENCE);
  if (!body) return false;
  const r = new DerReader(body);
  return r.readSmallInteger() === 3n && r.peekTag(Tag.SEQUENCE);
}

/** ContentInfo with contentType signedData (1.2.840.113549.1.7.2): how .p7b/.p7c bundles of certificates look. */
function looksLikePkcs7(data: Uint8Array): boolean {
  const body = new DerReader(data).read(Tag.SEQUENCE);
  const oid = body && new DerReader(body).read(Tag.OBJECT_IDENTIFIER);
  return !!oid && Buffer.from(oid).toString("hex") === "2a864886f70d010702";
}

function isDerElement(data: Uint8Array): boolean {
  const r = new DerReader(data);
  return r.readAny() !== null && r.empty();
}

function isText(data: Uint8Array): boolean {
  for (const b of data) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) return false;
  return true;
}

/**
 * Decodes a file's bytes the way Go would see them (the PEM decoder of `go` when given, else the newest). Never
 * throws.
 */
export function decodeMaterial(data: Uint8Array, go?: GoProfile): FileMaterial {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const scan = scanPem(buf, go);
  const certificates: CertificateBlock[] = [];
  const keys: KeyBlock[] = [];
  const seen = new Map<string, Parsed>();
  scan.blocks.forEach((b, i) => {
    if (b.type === "CERTIFICATE") certificates.push(certificateBlock(b.bytes, i, b.line, b.headers.length > 0, seen));
    else if (isKeyBlockType(b.type)) {
      keys.push({
        blockIndex: i,
        line: b.line,
        type: b.type,
        encrypted:
          b.type === "ENCRYPTED PRIVATE KEY" ||
          b.headers.some(([k, v]) => k === "Proc-Type" && v.includes("ENCRYPTED")),
        parse: parsePrivateKeyAsGo(b.bytes, b.type, b.headers),
      });
    }
  });
  let format: ContentFormat;
  let derCertificate: CertificateBlock | null = null;
  if (buf.length === 0) format = "empty";
  else if (scan.blocks.length > 0) format = "pem";
  else if (scan.utf16) format = "utf16";
  else if (isDerElement(buf)) {
    const candidate = certificateBlock(buf, -1, 1, false);
    // Under `go`, as that Go's parser sees it: Go 1.19 takes a DER certificate with a critical AKID that newer Go refuses.
    if (candidate.parse.cert || (go && goCertificateError(candidate.parse, go) === null)) {
      format = "der-certificate";
      derCertificate = candidate;
    } else format = looksLikePkcs12(buf) ? "pkcs12" : looksLikePkcs7(buf) ? "pkcs7" : "der-other";
  } else format = isText(buf) ? "text" : "binary";
  return {
    format,
    blocks: scan.blocks,
    hidden: scan.hidden,
    bom: scan.bom,
    crlf: scan.crlf,
    certificates,
    keys,
    derCertificate,
  };
}

/** The certificate blocks of a file in order, or its DER certificate: what a reader of it would see first. */
export function certificatesOf(m: FileMaterial): CertificateBlock[] {
  if (m.certificates.length) return m.certificates;
  return m.derCertificate ? [m.derCertificate] : [];
}

/** A certificate that says it is a CA (basicConstraints CA:TRUE), as Go parsed it. */
export function isCaBlock(c: CertificateBlock): boolean {
  return !!c.parse.cert && c.parse.cert.basicConstraintsValid && c.parse.cert.isCA;
}

/** "CN=..., O=..." for messages, or a fallback when the name could not be read. */
export function subjectOf(c: CertificateBlock): string {
  return c.description?.subject ?? "an unreadable certificate";
}

/**
 * A certificate that can serve as a trust anchor for a registry: a CA, or a leaf usable for servers (a pinned
 * server certificate). A certificate whose only extended key usage is clientAuth cannot.
 */
export function canAnchorServer(c: CertificateBlock): boolean {
  const cert = c.parse.cert;
  if (!cert) return false;
  if (cert.basicConstraintsValid && cert.isCA) return true;
  const eku = cert.extKeyUsage;
  return eku.length === 0 && cert.unknownExtKeyUsage.length === 0
    ? true
    : eku.includes("serverAuth") || eku.includes("any");
}
