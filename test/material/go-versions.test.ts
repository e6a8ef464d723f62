/**
 * The parser changes after Go 1.19 that X509Features and usesRewrittenPemDecode gate. Go 1.19's answers are checked
 * against the real Go 1.19 in test/oracle/godecode.test.ts; the later answers here are read from later Go's source
 * (golang/go src/crypto/x509/parser.go @ 01f40d362ef9, src/vendor/golang.org/x/crypto/cryptobyte/asn1.go; golang/crypto
 * 1faeef9 for OID padding), each at the version go-profile.ts names.
 */
import { goProfile, usesRewrittenPemDecode, x509Features } from "../../src/material/go-profile.js";
import { goAcceptedCertificate, goCertificateError, parseCertificateAsGo } from "../../src/material/go-x509.js";
import { cert, int, octets, oid, seq, set, tlv, utc, utf8 } from "../oracle/godecode-cases.js";

const ext = (id: string, value: Uint8Array | string, critical = false) =>
  seq(oid(id), ...(critical ? ["0101ff"] : []), octets(value));
const error = (der: Uint8Array, v: string) => goCertificateError(parseCertificateAsGo(der), goProfile(v));
const accepted = (der: Uint8Array, v: string) => goAcceptedCertificate(parseCertificateAsGo(der), goProfile(v));

describe("x509 parser changes by Go version", () => {
  test("basic constraints: Go 1.19 names the step and keeps a negative pathLen; Go ≥ 1.22 reads it unsigned", () => {
    const negative = cert({ exts: [ext("2.5.29.19", seq("0101ff", int(-5)), true)] });
    expect(accepted(negative, "1.19")?.maxPathLen).toBe(-5);
    expect(accepted(negative, "1.21")?.maxPathLen).toBe(-5);
    expect(error(negative, "1.22")).toBe("x509: invalid basic constraints");
    const huge = cert({ exts: [ext("2.5.29.19", seq("0101ff", int(2n ** 63n)), true)] });
    expect(error(huge, "1.19")).toBe("x509: invalid basic constraints c");
    expect(error(huge, "1.25")).toBe("x509: invalid basic constraints");
    const notSeq = cert({ exts: [ext("2.5.29.19", "0101ff", true)] });
    expect(error(notSeq, "1.19")).toBe("x509: invalid basic constraints a");
    expect(error(notSeq, "1.24")).toBe("x509: invalid basic constraints");
    const big = cert({ exts: [ext("2.5.29.19", seq("0101ff", int(2n ** 53n + 1n)), true)] });
    expect(accepted(big, "1.19")?.maxPathLenExact).toBe(2n ** 53n + 1n);
  });

  test("OID padding: accepted by Go 1.19 and 1.20, malformed from Go 1.21 (x/crypto v0.9.0)", () => {
    const padded = cert({ exts: [seq("060355801d", octets("0500"))] });
    expect(error(padded, "1.20")).toBeNull();
    expect(error(padded, "1.21")).toBe("x509: malformed extension OID field");
  });

  test("AKID, SKID and AIA marked critical fail from Go 1.23", () => {
    const akid = cert({ exts: [ext("2.5.29.35", seq(tlv(0x80, "0102")), true)] });
    expect(error(akid, "1.19")).toBeNull();
    expect(error(akid, "1.23")).toBe("x509: authority key identifier incorrectly marked critical");
    const skid = cert({ exts: [ext("2.5.29.14", octets("0102"), true)] });
    expect(error(skid, "1.25")).toBe("x509: subject key identifier incorrectly marked critical");
    const aia = cert({
      exts: [ext("1.3.6.1.5.5.7.1.1", seq(seq(oid("1.3.6.1.5.5.7.48.1"), tlv(0x86, Buffer.from("http://o")))), true)],
    });
    expect(error(aia, "1.23")).toBe("x509: authority info access incorrectly marked critical");
  });

  test("policy constraints, mappings and inhibitAnyPolicy: unhandled before Go 1.24, parsed from 1.24", () => {
    const pc = cert({ exts: [ext("2.5.29.36", seq(tlv(0x80, "00")), true)] });
    expect(accepted(pc, "1.19")?.unhandledCriticalExtensions).toEqual(["2.5.29.36"]);
    expect(accepted(pc, "1.24")?.unhandledCriticalExtensions).toEqual([]);
    const bad = cert({ exts: [ext("2.5.29.54", "0500")] });
    expect(error(bad, "1.23")).toBeNull();
    expect(error(bad, "1.24")).toBe("x509: invalid inhibit any policy extension");
  });

  test("a repeated certificate policy fails from Go 1.22", () => {
    const dup = cert({ exts: [ext("2.5.29.32", seq(seq(oid("2.23.140.1.2.1")), seq(oid("2.23.140.1.2.1"))))] });
    expect(error(dup, "1.21")).toBeNull();
    expect(error(dup, "1.22")).toBe("x509: invalid certificate policies");
  });

  test("UTCTime offsets above 24 hours: parsed by Go 1.19, malformed from Go 1.23", () => {
    const late = cert({ notBefore: utc("260101000000+2500") });
    expect(accepted(late, "1.19")?.notBefore.toISOString()).toBe("2025-12-30T23:00:00.000Z");
    expect(error(late, "1.23")).toBe("x509: malformed UTCTime");
    expect(error(cert({ notBefore: utc("260101000000+2400") }), "1.25")).toBeNull();
  });

  test("BMPString surrogates: decoded by Go < 1.25, invalid from 1.25", () => {
    const bmp = cert({ subject: seq(set(seq(oid("2.5.4.3"), tlv(0x1e, "d800")))) });
    expect(error(bmp, "1.24")).toBeNull();
    expect(error(bmp, "1.25")).toBe("x509: invalid RDNSequence: invalid attribute value: invalid BMPString");
  });

  test("a parse is redone only for a Go whose parser differs", () => {
    const p = parseCertificateAsGo(cert({ subject: seq(set(seq(oid("2.5.4.3"), utf8("x")))) }));
    expect(goAcceptedCertificate(p, goProfile("1.25"))).toBe(p.cert);
    expect(goAcceptedCertificate(p, goProfile("1.19"))).not.toBe(p.cert);
    expect(x509Features(goProfile("1.19"))).toEqual({
      oidRejectsPadding: false,
      basicConstraintsUnsigned: false,
      policiesAsRawOids: false,
      rejectsCriticalIdExtensions: false,
      parsesPolicyExtensions: false,
      rejectsZoneOffsetsAbove24h: false,
      bmpRejectsInvalid: false,
    });
  });
});

describe("pem.Decode by Go version", () => {
  test("the CVE-2025-61723 rewrite is in Go 1.24.8 and 1.25.2 and later", () => {
    expect(usesRewrittenPemDecode(goProfile("1.19"))).toBe(false);
    expect(usesRewrittenPemDecode(goProfile("1.23"))).toBe(false);
    expect(usesRewrittenPemDecode(goProfile("1.24.7"))).toBe(false);
    expect(usesRewrittenPemDecode(goProfile("1.24.8"))).toBe(true);
    expect(usesRewrittenPemDecode(goProfile("1.24"))).toBe(true);
    expect(usesRewrittenPemDecode(goProfile("1.25.1"))).toBe(false);
    expect(usesRewrittenPemDecode(goProfile("go1.25.2"))).toBe(true);
    expect(usesRewrittenPemDecode(goProfile("1.26"))).toBe(true);
  });
});
