/**
 * Which Go a runtime was built with decides a few of its verdicts. Two numbers matter:
 * - the toolchain (what the standard library can do: X25519 keys since 1.20, ...);
 * - the GODEBUG defaults, which follow the `go` line of the main module's go.mod (binaries built in GOPATH mode,
 *   like moby up to v28, get Go 1.20 defaults). `x509negativeserial` flipped in 1.23, `rsa1024min` in 1.24.
 */
export interface GoProfile {
  /** e.g. "1.24" */
  toolchain: string;
  /** The toolchain's patch release when known ("1.24.8" → 8); null: assume the latest patch of that minor. */
  patch?: number | null;
  /** e.g. "1.24"; the `go` line whose GODEBUG defaults the binary carries. */
  godebug: string;
}

export function goProfile(toolchain: string, godebug: string = toolchain): GoProfile {
  const patch = /^(?:go)?\d+\.\d+\.(\d+)/.exec(toolchain.trim());
  return { toolchain: normalise(toolchain), godebug: normalise(godebug), patch: patch ? Number(patch[1]) : null };
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

/**
 * encoding/pem.Decode was rewritten for CVE-2025-61723 in Go 1.24.8 and 1.25.2: it now looks for
 * the END line first. Earlier toolchains (Go 1.19 in Docker 20.10–23, containerd < 1.7) use the original algorithm
 * (src/encoding/pem/pem.go as of go1.19: BEGIN first, then the type line, headers, END).
 */
export function usesRewrittenPemDecode(p: GoProfile): boolean {
  if (!atLeast(p.toolchain, 1, 24)) return false;
  if (p.toolchain === "1.24") return p.patch == null || p.patch >= 8;
  if (p.toolchain === "1.25") return p.patch == null || p.patch >= 2;
  return true;
}

/**
 * The crypto/x509 parser changes after Go 1.19 that change ParseCertificate's verdict. Each names where it came from;
 * Go 1.19 is read from its own source (src/crypto/x509/parser.go, src/vendor/golang.org/x/crypto/cryptobyte).
 */
export interface X509Features {
  /**
   * Go ≥ 1.21: OIDs whose sub-identifier starts with 0x80 are malformed (golang/crypto 1faeef9 "cryptobyte: reject
   * Object Identifiers with leading 0x80", x/crypto v0.9.0, 2023-04, vendored from Go 1.21 on). Go 1.19 accepts them.
   */
  oidRejectsPadding: boolean;
  /**
   * Go ≥ 1.22: pathLenConstraint is read as unsigned (negative values fail) and the three basic-constraints errors
   * share one text (golang/go#60706, 2023-06); Go 1.19 says "x509: invalid basic constraints a/b/c" and keeps a
   * negative MaxPathLen.
   */
  basicConstraintsUnsigned: boolean;
  /**
   * Go ≥ 1.22: certificate policies are read as raw OIDs (any size; padding rejected) and a repeated policy fails
   * (the OID type and Certificate.Policies, CL 520535, golang/go#63909). Go 1.19 reads them with
   * ReadASN1ObjectIdentifier (31-bit arcs) and allows repeats.
   */
  policiesAsRawOids: boolean;
  /**
   * Go ≥ 1.23: AKID, SKID and AIA marked critical fail ("... incorrectly marked critical"; present in go1.23.2 per
   * golang/go#70278, absent from Go 1.19's parser.go). Whether 1.20–1.22 check it is not established here.
   */
  rejectsCriticalIdExtensions: boolean;
  /**
   * Go ≥ 1.24: policy constraints, policy mappings and inhibitAnyPolicy are parsed (and so count as handled when
   * critical) for policy validation (golang/go#68484, accepted 2024-09). Go 1.19 leaves them unhandled.
   */
  parsesPolicyExtensions: boolean;
  /**
   * Go ≥ 1.23: time.Parse rejects zone offsets above 24 hours (golang/go#67470, 2024-05). Go 1.19 accepts any two-digit
   * hour and relies on the round trip (so "+2500" parses there).
   */
  rejectsZoneOffsetsAbove24h: boolean;
  /** Go ≥ 1.25: BMPStrings with surrogates or noncharacters are invalid (golang/go#71862, 2025-02). */
  bmpRejectsInvalid: boolean;
}

export function x509Features(p: GoProfile): X509Features {
  const t = p.toolchain;
  return {
    oidRejectsPadding: atLeast(t, 1, 21),
    basicConstraintsUnsigned: atLeast(t, 1, 22),
    policiesAsRawOids: atLeast(t, 1, 22),
    rejectsCriticalIdExtensions: atLeast(t, 1, 23),
    parsesPolicyExtensions: atLeast(t, 1, 24),
    rejectsZoneOffsetsAbove24h: atLeast(t, 1, 23),
    bmpRejectsInvalid: atLeast(t, 1, 25),
  };
}

/** The features of the newest Go modelled (what a parse without a profile describes). */
export const LATEST_X509: X509Features = x509Features(goProfile("1.99"));
