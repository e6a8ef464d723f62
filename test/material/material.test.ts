import { readFileSync } from "node:fs";
import path from "node:path";
import { explainNoCertificate } from "../../src/material/explain.js";
import { goPrivateKeyError, parsePrivateKeyAsGo } from "../../src/material/go-keys.js";
import { goProfile } from "../../src/material/go-profile.js";
import { appendCertsFromPem, keyInput, x509KeyPair } from "../../src/material/go-tls.js";
import { goCertificateError, parseCertificateAsGo } from "../../src/material/go-x509.js";
import { decodeMaterial } from "../../src/material/material.js";
import { caseHost, cleanupFixtures } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const GO119 = goProfile("1.19");
const GO124 = goProfile("1.25", "1.24");
const read = (id: string, file: string) => readFileSync(path.join(caseHost(id), file));
const material = (id: string, file: string) => decodeMaterial(read(id, file));

describe("certificates as Go parses them", () => {
  test("the fixture root CA", () => {
    const m = material("good", "ca.crt");
    expect(m.format).toBe("pem");
    const c = m.certificates[0]!;
    expect(goCertificateError(c.parse, GO124)).toBeNull();
    expect(c.parse.cert).toMatchObject({ version: 3, serialHex: "1001", isCA: true, basicConstraintsValid: true });
    expect(c.parse.cert!.publicKey).toMatchObject({ algorithm: "rsa", bits: 2048 });
    expect(c.parse.cert!.notBefore.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(c.description?.subject).toBe("CN=certsd-lint Fixture Root CA, O=certsd-lint");
  });

  test("the server leaf carries its SAN and serverAuth", () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${read("server-pair-copied", "domain.cert").toString().split("\n").slice(1, -2).join("\n")}\n-----END CERTIFICATE-----\n`;
    const cert = decodeMaterial(Buffer.from(pem)).certificates[0]!.parse.cert!;
    expect(cert.dnsNames).toEqual(["registry.example.com"]);
    expect(cert.extKeyUsage).toEqual(["serverAuth"]);
    expect(cert.isCA).toBe(false);
  });

  test("a negative serial is an error from Go 1.23 defaults on", () => {
    const parse = material("ca-negative-serial", "ca.crt").certificates[0]!.parse;
    expect(parse.cert?.serialNegative).toBe(true);
    expect(goCertificateError(parse, GO119)).toBeNull();
    expect(goCertificateError(parse, goProfile("1.23"))).toBe("x509: negative serial number");
    // GOPATH-mode builds (moby up to v28) carry Go 1.20 defaults even on a newer toolchain.
    expect(goCertificateError(parse, goProfile("1.23", "1.20"))).toBeNull();
  });

  test("truncated DER, trailing data and a non-certificate", () => {
    expect(goCertificateError(material("cert-truncated", "client.cert").certificates[0]!.parse, GO124)).toBe(
      "x509: malformed certificate",
    );
    const der = material("good", "ca.crt").certificates[0]!.der;
    expect(goCertificateError(parseCertificateAsGo(Buffer.concat([der, Buffer.from([0])])), GO124)).toBe(
      "x509: trailing data",
    );
    // Checked with Go 1.19: an outer SEQUENCE that parses but holds no TBS.
    expect(goCertificateError(parseCertificateAsGo(Buffer.from("300100", "hex")), GO124)).toBe(
      "x509: malformed tbs certificate",
    );
    expect(goCertificateError(parseCertificateAsGo(Buffer.from("3000", "hex")), GO124)).toBe(
      "x509: malformed tbs certificate",
    );
  });

  test("a file holding DER is recognised, and yields no PEM block", () => {
    const m = material("ca-der", "ca.crt");
    expect(m.format).toBe("der-certificate");
    expect(m.blocks).toEqual([]);
    expect(m.derCertificate?.parse.cert?.isCA).toBe(true);
  });
});

describe("private keys as tls.X509KeyPair parses them", () => {
  const keyOf = (id: string, file = "client.key") => {
    const ki = keyInput(material(id, file));
    if ("error" in ki) throw new Error(ki.error);
    return ki.key.parse;
  };
  test.each([
    ["good", "rsa", "pkcs8", 2048],
    ["good-key-pkcs1", "rsa", "pkcs1", 2048],
    ["good-key-ec-sec1", "ecdsa", "sec1", 256],
    ["good-key-ec-params", "ecdsa", "sec1", 256],
    ["good-key-p384", "ecdsa", "pkcs8", 384],
    ["good-key-ed25519", "ed25519", "pkcs8", 256],
    ["good-key-label-mismatch", "rsa", "pkcs8", 2048],
  ])("%s: %s in %s, %i bits", (id, algorithm, encoding, bits) => {
    const p = keyOf(id);
    expect(p.key).toMatchObject({ algorithm, encoding, bits });
    expect(goPrivateKeyError(p, GO124)).toBeNull();
  });

  test.each([
    ["key-encrypted-pkcs8", "encrypted-pkcs8"],
    ["key-encrypted-legacy", "encrypted-legacy"],
    ["key-openssh", "openssh"],
    ["key-dsa", "dsa"],
    ["key-rsa-pss", "rsa-pss"],
    ["key-x448", "x448"],
    ["key-secp256k1", "ec-unsupported-curve"],
  ])("%s is a %s key Go cannot parse", (id, kind) => {
    const p = keyOf(id);
    expect(p.kind).toBe(kind);
    expect(p.key).toBeNull();
    expect(goPrivateKeyError(p, GO119)).toBe("tls: failed to parse private key");
    expect(goPrivateKeyError(p, GO124)).toBe("tls: failed to parse private key");
  });

  test("an inconsistent RSA key fails like rsa.Validate makes it fail", () => {
    const ki = keyInput(material("good-key-pkcs1", "client.key"));
    if ("error" in ki) throw new Error(ki.error);
    const der = Buffer.from(decodeMaterial(read("good-key-pkcs1", "client.key")).blocks[0]!.bytes);
    // Flip a bit inside the private exponent (the fourth INTEGER): the key no longer validates.
    der[der.length - 600]! ^= 0x01;
    expect(parsePrivateKeyAsGo(der).key).toBeNull();
  });
});

describe("tls.X509KeyPair stages and texts", () => {
  const pair = (id: string, cert = "client.cert", key = "client.key") =>
    x509KeyPair(material(id, cert), material(id, key), GO124);
  test("a good pair", () => {
    const r = pair("good");
    expect(r.ok).toBe(true);
  });
  test.each([
    ["swapped", "certificate-input"],
    ["cert-der", "certificate-input"],
    ["key-empty", "key-input"],
    ["key-is-certificate", "key-input"],
    ["cert-truncated", "certificate-parse"],
    ["key-openssh", "key-parse"],
    ["key-mismatch", "match"],
    ["key-type-mismatch", "match"],
    ["leaf-not-first", "match"],
  ])("%s fails at %s", (id, stage) => {
    const r = pair(id);
    expect(r.ok ? "ok" : r.stage).toBe(stage);
  });
  test("certificate blocks with headers are fine for a client certificate", () => {
    expect(pair("cert-with-headers").ok).toBe(true);
  });
  test("a combined certificate+key file serves as both inputs", () => {
    expect(pair("good-combined-files", "client.cert", "client.cert").ok).toBe(true);
  });
});

describe("AppendCertsFromPEM", () => {
  test.each([
    ["good-ca-bundle", 2, []],
    ["good-ca-with-private-key", 1, ["not-a-certificate-block"]],
    ["ca-partly-usable", 1, ["not-a-certificate-block"]],
    ["ca-with-headers", 0, ["certificate-with-headers"]],
    ["ca-trusted-certificate", 0, ["not-a-certificate-block"]],
    ["ca-truncated", 0, ["unparseable"]],
    ["ca-der", 0, []],
  ])("%s: %i added, skipped %j", (id, added, reasons) => {
    const pool = appendCertsFromPem(material(id, "ca.crt"), GO124);
    expect(pool.added.length).toBe(added);
    expect(pool.skipped.map((s) => s.reason)).toEqual(reasons);
  });

  test("duplicates within a file count once", () => {
    const pem = read("good", "ca.crt").toString();
    expect(appendCertsFromPem(decodeMaterial(Buffer.from(pem + pem)), GO124).added.length).toBe(1);
  });
});

describe("why a CA file yields nothing, in plain words", () => {
  const why = (id: string) => {
    const m = material(id, "ca.crt");
    return explainNoCertificate(m, appendCertsFromPem(m, GO124));
  };
  test.each([
    ["ca-der", "the certificate is DER-encoded (binary); Go reads only PEM"],
    ["ca-empty", "the file is empty"],
    ["ca-pkcs7", "it holds only blocks of other types [PKCS7]"],
    [
      "ca-bom",
      "the CERTIFICATE block on line 1 is invisible to Go: a UTF-8 byte-order mark before its BEGIN line hides it",
    ],
    ["ca-indented", "the CERTIFICATE block on line 1 is invisible to Go: its BEGIN line is indented"],
    ["ca-utf16", "the file is UTF-16 text, in which Go finds no PEM block"],
    ["ca-key-only", "it holds only blocks of other types [PRIVATE KEY]"],
    ["ca-with-headers", "its CERTIFICATE block carries PEM headers"],
    ["ca-truncated", "Go cannot parse the certificate on line 1: x509: malformed certificate"],
    ["ca-missing-end", "the CERTIFICATE block on line 1 is invisible to Go: it has no matching END line"],
    ["ca-bad-base64", "the CERTIFICATE block on line 1 is invisible to Go: its body is not valid base64"],
  ])("%s", (id, text) => {
    expect(why(id)).toBe(text);
  });
});
