/**
 * The two standard-library calls every certs.d loader is built from, over already-decoded material:
 * - (*x509.CertPool).AppendCertsFromPEM (golang/go src/crypto/x509/cert_pool.go @ 4918c3e29e56);
 * - tls.X509KeyPair (golang/go src/crypto/tls/tls.go @ 7926af0ddbd7), with its exact error texts.
 */
import { bytesEqual } from "./der.js";
import { goStringList } from "./go-format.js";
import type { GoProfile } from "./go-profile.js";
import { goAcceptedCertificate, type GoCertificate, goCertificateError } from "./go-x509.js";
import { goPrivateKeyError, type GoPrivateKey } from "./go-keys.js";
import type { CertificateBlock, FileMaterial, KeyBlock } from "./material.js";

export type PoolSkipReason = "not-a-certificate-block" | "certificate-with-headers" | "unparseable" | "duplicate";

export interface PoolSkip {
  blockIndex: number;
  type: string;
  line: number;
  reason: PoolSkipReason;
  /** For "unparseable": Go's ParseCertificate error. */
  error?: string;
}

export interface PoolResult {
  /** Certificates the pool took, in file order, duplicates within the file removed (Go dedups by content). */
  added: CertificateBlock[];
  skipped: PoolSkip[];
}

/**
 * What AppendCertsFromPEM takes from a file: blocks of type exactly "CERTIFICATE", without headers, that
 * ParseCertificate accepts. DER input yields no PEM blocks at all, hence nothing.
 */
export function appendCertsFromPem(m: FileMaterial, go: GoProfile): PoolResult {
  const added: CertificateBlock[] = [];
  const skipped: PoolSkip[] = [];
  /** CertPool.AddCert keeps one of identical certificates (by SHA-224 of the DER; SHA-256 here, as the same test). */
  const inPool = new Set<string>();
  const byBlock = new Map(m.certificates.map((c) => [c.blockIndex, c]));
  m.blocks.forEach((block, blockIndex) => {
    const base = { blockIndex, type: block.type, line: block.line };
    if (block.type !== "CERTIFICATE") return skipped.push({ ...base, reason: "not-a-certificate-block" });
    if (block.headers.length > 0) return skipped.push({ ...base, reason: "certificate-with-headers" });
    const cert = byBlock.get(blockIndex)!;
    const error = goCertificateError(cert.parse, go);
    if (error) return skipped.push({ ...base, reason: "unparseable", error });
    if (inPool.has(cert.sha256)) return skipped.push({ ...base, reason: "duplicate" });
    inPool.add(cert.sha256);
    return added.push(cert);
  });
  return { added, skipped };
}

export const TLS_NO_PEM_IN_CERT = "tls: failed to find any PEM data in certificate input";
export const TLS_SWITCHED =
  "tls: failed to find certificate PEM data in certificate input, but did find a private key; " +
  "PEM inputs may have been switched";
export const TLS_NO_PEM_IN_KEY = "tls: failed to find any PEM data in key input";
export const TLS_CERT_RATHER_THAN_KEY = "tls: found a certificate rather than a key in the PEM for the private key";
export const TLS_KEY_TYPE_MISMATCH = "tls: private key type does not match public key type";
export const TLS_KEY_MISMATCH = "tls: private key does not match public key";
export const TLS_UNKNOWN_PUBLIC_KEY = "tls: unknown public key algorithm";

export function tlsNoCertificateBlock(skipped: readonly string[]): string {
  return `tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: ${goStringList(skipped)}`;
}

export function tlsNoKeyBlock(skipped: readonly string[]): string {
  return `tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: ${goStringList(skipped)}`;
}

/** Which step of X509KeyPair failed, for rules that explain rather than quote. */
export type KeyPairStage = "certificate-input" | "key-input" | "certificate-parse" | "key-parse" | "match";

export type KeyPairResult =
  | { ok: true; leaf: GoCertificate; chain: CertificateBlock[]; key: GoPrivateKey; keyBlock: KeyBlock }
  | { ok: false; stage: KeyPairStage; error: string; leaf?: GoCertificate; keyBlock?: KeyBlock };

/** The first certificate input's error as X509KeyPair reports it, or the certificate blocks it would use. */
export function certificateInput(m: FileMaterial): { error: string } | { chain: CertificateBlock[] } {
  const chain = m.certificates; // every "CERTIFICATE" block, headers or not
  if (chain.length > 0) return { chain };
  const skipped = m.blocks.map((b) => b.type);
  if (skipped.length === 0) return { error: TLS_NO_PEM_IN_CERT };
  if (skipped.length === 1 && skipped[0]!.endsWith("PRIVATE KEY")) return { error: TLS_SWITCHED };
  return { error: tlsNoCertificateBlock(skipped) };
}

/** The key block X509KeyPair would use: the first whose type is "PRIVATE KEY" or ends in " PRIVATE KEY". */
export function keyInput(m: FileMaterial): { error: string } | { key: KeyBlock } {
  const skipped: string[] = [];
  for (const [blockIndex, block] of m.blocks.entries()) {
    if (block.type === "PRIVATE KEY" || block.type.endsWith(" PRIVATE KEY")) {
      return { key: m.keys.find((k) => k.blockIndex === blockIndex)! };
    }
    skipped.push(block.type);
  }
  if (skipped.length === 0) return { error: TLS_NO_PEM_IN_KEY };
  if (skipped.length === 1 && skipped[0] === "CERTIFICATE") return { error: TLS_CERT_RATHER_THAN_KEY };
  return { error: tlsNoKeyBlock(skipped) };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return !!a && !!b && bytesEqual(a, b);
}

/** tls.X509KeyPair over a certificate file's and a key file's material (they may be the same file). */
export function x509KeyPair(certFile: FileMaterial, keyFile: FileMaterial, go: GoProfile): KeyPairResult {
  const ci = certificateInput(certFile);
  if ("error" in ci) return { ok: false, stage: "certificate-input", error: ci.error };
  const ki = keyInput(keyFile);
  if ("error" in ki) return { ok: false, stage: "key-input", error: ki.error };
  const first = ci.chain[0]!;
  const certError = goCertificateError(first.parse, go);
  if (certError) return { ok: false, stage: "certificate-parse", error: certError, keyBlock: ki.key };
  // As this Go's parser read it (a newer parser may have refused what this one takes, e.g. a critical AKID in Go 1.19).
  const leaf = goAcceptedCertificate(first.parse, go)!;
  const keyError = goPrivateKeyError(ki.key.parse, go);
  if (keyError) return { ok: false, stage: "key-parse", error: keyError, leaf, keyBlock: ki.key };
  const key = ki.key.parse.key!;
  const match = keyMatch(key, leaf);
  if (match !== null) return { ok: false, stage: "match", error: match, leaf, keyBlock: ki.key };
  return { ok: true, leaf, chain: ci.chain, key, keyBlock: ki.key };
}

/**
 * X509KeyPair's comparison of a parsed key with a certificate's public key: RSA by modulus, ECDSA by X and Y,
 * Ed25519 by the public key bytes. Returns Go's error, or null when they belong together.
 */
export function keyMatch(key: GoPrivateKey, cert: GoCertificate): string | null {
  const pub = cert.publicKey;
  switch (pub.algorithm) {
    case "rsa":
      if (key.algorithm !== "rsa") return TLS_KEY_TYPE_MISMATCH;
      return sameBytes(pub.rsaModulus, key.rsaModulus) ? null : TLS_KEY_MISMATCH;
    case "ecdsa":
      if (key.algorithm !== "ecdsa") return TLS_KEY_TYPE_MISMATCH;
      return sameBytes(stripZeros(pub.x), stripZeros(key.x)) && sameBytes(stripZeros(pub.y), stripZeros(key.y))
        ? null
        : TLS_KEY_MISMATCH;
    case "ed25519":
      if (key.algorithm !== "ed25519") return TLS_KEY_TYPE_MISMATCH;
      return sameBytes(pub.raw, key.raw) ? null : TLS_KEY_MISMATCH;
    default:
      return TLS_UNKNOWN_PUBLIC_KEY;
  }
}

/** big.Int comparison ignores leading zero bytes. */
function stripZeros(b: Uint8Array | undefined): Uint8Array | undefined {
  if (!b) return b;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
