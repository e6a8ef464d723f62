/**
 * Which Go a runtime was built with decides a few of its verdicts. Two numbers matter:
 * - the toolchain (what the standard library can do: X25519 keys since 1.20, ...);
 * - the GODEBUG defaults, which follow the `go` line of the main module's go.mod (binaries built in GOPATH mode,
 *   like moby up to v28, get Go 1.20 defaults). `x509negativeserial` flipped in 1.23, `rsa1024min` in 1.24.
 */
export interface GoProfile {
  /** e.g. "1.24" */
  toolchain: string;
  /** e.g. "1.24"; the `go` line whose GODEBUG defaults the binary carries. */
  godebug: string;
}

export function goProfile(toolchain: string, godebug: string = toolchain): GoProfile {
  return { toolchain: normalise(toolchain), godebug: normalise(godebug) };
}

/** Accepts "1.24", "1.24.3", "go1.19.8". */
function normalise(v: string): string {
  const m = /^(?:go)?(\d+)\.(\d+)/.exec(v.trim());
  if (!m) throw new Error(`not a Go version: ${v}`);
  return `${m[1]}.${m[2]}`;
}

function atLeast(v: string, major: number, minor: number): boolean {
  const [a, b] = v.split(".").map(Number) as [number, number];
  return a > major || (a === major && b >= minor);
}

/** Go ≥ 1.23 defaults: ParseCertificate fails with "x509: negative serial number". */
export function rejectsNegativeSerial(p: GoProfile): boolean {
  return atLeast(p.toolchain, 1, 23) && atLeast(p.godebug, 1, 23);
}

/** Go ≥ 1.24 defaults (rsa1024min=1): RSA keys below 1024 bits cannot be parsed. */
export function rejectsSmallRsa(p: GoProfile): boolean {
  return atLeast(p.toolchain, 1, 24) && atLeast(p.godebug, 1, 24);
}

/** Go ≥ 1.20 parses PKCS#8 X25519 keys (crypto/ecdh), so tls says "found unknown private key type". */
export function parsesX25519(p: GoProfile): boolean {
  return atLeast(p.toolchain, 1, 20);
}

/** Go ≥ 1.19 rejects certificates that repeat an extension. */
export function rejectsDuplicateExtensions(p: GoProfile): boolean {
  return atLeast(p.toolchain, 1, 19);
}

/** Go ≥ 1.22 names the OID in "x509: certificate contains duplicate extension with OID %q"; 1.19–1.21 do not. */
export function namesDuplicateExtensionOid(p: GoProfile): boolean {
  return atLeast(p.toolchain, 1, 22);
}
