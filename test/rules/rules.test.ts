import { RULES } from "../../rules/index.js";
import { lint } from "../../src/engine/lint.js";
import { caseRoot, cleanupFixtures, NOW } from "../helpers/fixtures.js";
import { expectCatches, expectCatchesNot, type Expected } from "../helpers/rule-tester.js";

afterAll(cleanupFixtures);

const MISSING_KEY = (k: string, c: string) => `missing key ${k} for client certificate ${c}. CA certificates must use the extension .crt`;
const MISSING_CERT = (c: string, k: string) => `missing client certificate ${c} for key ${k}`;

/**
 * For every rule: cases where it fires (with what it must say) and cases where it must stay silent.
 * The meta-test at the end insists that every registered rule appears here with both.
 */
const TABLE: Record<string, { fires: Array<[string, Expected[]]>; passes: string[] }> = {
  CD001: { fires: [], passes: ["good", "ca-as-cert", "key-mismatch", "dangling-crt", "host-is-file"] },
  CD101: {
    fires: [
      ["cert-without-key", [{ file: "client.cert", severity: "error", docker: MISSING_KEY("client.key", "client.cert"), says: "Add the private key as client.key" }]],
      ["order-uppercase-first", [{ file: "a.cert", docker: MISSING_KEY("a.key", "a.cert") }]],
    ],
    passes: ["good", "ca-as-cert", "appledouble", "good-two-pairs"],
  },
  CD102: {
    fires: [
      ["key-without-cert", [{ file: "client.key", severity: "error", docker: MISSING_CERT("client.cert", "client.key") }]],
      ["ca-key-copied", [{ file: "ca.key", docker: MISSING_CERT("ca.cert", "ca.key"), says: "It is the private key of the CA in ca.crt" }]],
      ["order-uppercase-first", [{ file: "B.key", docker: MISSING_CERT("B.cert", "B.key") }]],
    ],
    passes: ["good", "client-as-crt", "good-client-crt-and-cert"],
  },
  CD103: {
    fires: [
      ["ca-as-cert", [{ file: "ca.cert", severity: "error", docker: MISSING_KEY("ca.key", "ca.cert"), says: "Rename it to ca.crt" }]],
      ["ca-as-cert-alone", [{ file: "ca.cert" }]],
      ["multi-host", [{ host: "harbor.example.com", file: "ca.cert" }]],
    ],
    passes: ["good", "cert-without-key", "appledouble"],
  },
  CD104: {
    fires: [["client-as-crt", [{ file: "client.crt", severity: "error", docker: MISSING_CERT("client.cert", "client.key"), says: "Rename client.crt to client.cert" }]]],
    passes: ["good", "good-client-crt-and-cert", "key-without-cert", "ca-key-copied"],
  },
  CD105: {
    fires: [
      ["host-443", [{ file: null, severity: "warning", says: 'Rename it to "registry.example.com"' }]],
      ["host-443-with-bare", [{ file: null, severity: "info", host: "registry.example.com:443" }]],
    ],
    passes: ["good", "good-host-no-port"],
  },
  CD106: {
    fires: [
      ["ignored-pem", [{ file: "ca.pem", severity: "error", says: "rename it to ca.crt" }]],
      ["ignored-uppercase", [{ file: "ca.CRT", severity: "error", says: "case-sensitively: rename it to ca.crt" }]],
      ["ignored-cer-der", [{ file: "ca.cer", severity: "error", says: "openssl x509 -inform der -in ca.cer -out ca.crt" }]],
      [
        "ignored-backups",
        [
          { file: "ca.crt.bak", severity: "info", says: "backup copy" },
          { file: "ca.crt~", severity: "info", says: "backup copy" },
        ],
      ],
      [
        "ignored-client-pem",
        [
          { file: "client-key.pem", severity: "error", says: "rename it to client-key.key" },
          { file: "client.pem", severity: "error", says: "rename it to client.cert" },
        ],
      ],
    ],
    passes: ["good", "good-symlinked-ca", "good-with-subdirectory"],
  },
  CD107: {
    fires: [
      ["dangling-crt", [{ file: "old.crt", severity: "error", says: "symlink to /nonexistent/old-ca.crt that does not exist" }]],
      ["dangling-key", [{ file: "client.key", severity: "error" }]],
      ["symlink-loop", [{ file: "ca.crt", severity: "error", says: "symlink loop" }]],
      ["dir-named-crt", [{ file: "extra.crt", severity: "error", says: "is a directory" }]],
      ["fifo-crt", [{ file: "ca.crt", severity: "error", says: "the pull hangs" }]],
    ],
    passes: ["good", "good-with-subdirectory", "good-symlinked-ca"],
  },
  CD108: {
    fires: [["loopback", [{ file: null, severity: "error", says: "The client certificate here is never sent" }]]],
    passes: ["good", "docker-hub"],
  },
  CD109: {
    fires: [
      ["docker-hub", [{ file: null, severity: "warning", says: "never reads docker.io" }]],
      ["docker-hub-index", [{ file: null, severity: "error", says: "read by no client" }]],
    ],
    passes: ["good", "loopback"],
  },
  CD110: {
    fires: [
      [
        "appledouble",
        [
          { file: "._ca.crt", severity: "warning", says: "macOS metadata" },
          { file: "._client.cert", severity: "error", docker: MISSING_KEY("._client.key", "._client.cert") },
        ],
      ],
    ],
    passes: ["good", "hidden-crt"],
  },
  CD111: {
    fires: [["host-is-file", [{ file: null, severity: "error", host: "registry.example.com:5000", says: "is a file, not a directory" }]]],
    passes: ["good", "multi-host"],
  },
  CD201: {
    fires: [
      ["ca-der", [{ file: "ca.crt", severity: "error", says: "DER-encoded" }]],
      ["ca-empty", [{ file: "ca.crt", says: "the file is empty" }]],
      ["ca-pkcs7", [{ file: "ca.crt", says: "openssl pkcs7 -print_certs" }]],
      ["ca-bom", [{ file: "ca.crt", says: "byte-order mark" }]],
      ["ca-indented", [{ file: "ca.crt", says: "indented" }]],
      ["ca-utf16", [{ file: "ca.crt", says: "UTF-16" }]],
      ["ca-key-only", [{ file: "ca.crt", says: "It holds a private key, not a certificate" }]],
      ["ca-trusted-certificate", [{ file: "ca.crt", says: "TRUSTED CERTIFICATE" }]],
      ["ca-with-headers", [{ file: "ca.crt", says: "PEM headers" }]],
      ["ca-truncated", [{ file: "ca.crt", says: "x509: malformed certificate" }]],
      ["ca-missing-end", [{ file: "ca.crt", says: "no matching END line" }]],
      ["ca-bad-base64", [{ file: "ca.crt", says: "not valid base64" }]],
      ["ca-negative-serial", [{ file: "ca.crt", says: "x509: negative serial number" }]],
      ["ca-garbage-hidden-file", [{ file: ".hidden.crt", severity: "warning", says: "another CA file here does load" }]],
    ],
    passes: ["good", "ca-partly-usable", "good-ca-with-private-key", "appledouble"],
  },
  CD202: {
    fires: [
      ["swapped", [{ file: "client.cert", docker: "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched", says: "look switched" }]],
      ["cert-der", [{ file: "client.cert", docker: "tls: failed to find any PEM data in certificate input", says: "it is DER" }]],
      ["cert-pkcs7", [{ file: "client.cert", docker: 'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PKCS7]' }]],
    ],
    passes: ["good", "cert-with-headers"],
  },
  CD203: {
    fires: [
      ["key-empty", [{ file: "client.key", docker: "tls: failed to find any PEM data in key input", says: "it is empty" }]],
      ["key-is-certificate", [{ file: "client.key", docker: "tls: found a certificate rather than a key in the PEM for the private key" }]],
      [
        "key-is-chain",
        [{ file: "client.key", docker: 'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [CERTIFICATE CERTIFICATE]' }],
      ],
    ],
    passes: ["good", "good-key-ec-params", "good-combined-files"],
  },
  CD204: {
    fires: [
      ["cert-truncated", [{ file: "client.cert", docker: "x509: malformed certificate" }]],
      ["cert-negative-serial", [{ file: "client.cert", docker: "x509: negative serial number", says: "Go 1.23 and later reject negative serial numbers" }]],
    ],
    passes: ["good", "ca-negative-serial"],
  },
  CD301: {
    fires: [
      ["key-mismatch", [{ file: "client.key", docker: "tls: private key does not match public key", says: 'not the private key of "CN=fixture-client"' }]],
      ["key-type-mismatch", [{ file: "client.key", docker: "tls: private key type does not match public key type", says: "the certificate's key is RSA, the key in client.key is ECDSA" }]],
      ["leaf-not-first", [{ file: "client.key", says: "the key belongs to certificate 2 in client.cert" }]],
    ],
    passes: ["good", "good-cert-chain", "good-key-ed25519", "good-key-p384"],
  },
  CD302: {
    fires: [
      ["key-encrypted-pkcs8", [{ file: "client.key", docker: "tls: failed to parse private key", says: "it is encrypted" }]],
      ["key-encrypted-legacy", [{ file: "client.key", says: "it is encrypted" }]],
      ["key-openssh", [{ file: "client.key", says: "OpenSSH" }]],
      ["key-dsa", [{ file: "client.key", says: "DSA key" }]],
      ["key-rsa-pss", [{ file: "client.key", says: "RSASSA-PSS" }]],
      ["key-x25519", [{ file: "client.key", docker: "tls: found unknown private key type in PKCS#8 wrapping", says: "key-agreement key" }]],
      ["key-x448", [{ file: "client.key", docker: "tls: failed to parse private key" }]],
      ["key-secp256k1", [{ file: "client.key", says: "elliptic curve is not one Go supports" }]],
      ["key-rsa-512", [{ file: "client.key", says: "512-bit RSA key" }]],
    ],
    passes: ["good", "good-key-pkcs1", "good-key-ec-sec1", "good-key-label-mismatch"],
  },
};

describe.each(Object.entries(TABLE))("%s", (ruleId, { fires, passes }) => {
  if (fires.length) {
    test.each(fires)("catches %s", (caseId, expected) => expectCatches(ruleId, caseId, expected));
  }
  test.each(passes)("leaves %s alone", (caseId) => expectCatchesNot(ruleId, caseId));
});

test("CD001 speaks up for a runtime error no other rule explains", () => {
  // Without CD111, nothing explains Docker's readdirent error: the safety net must.
  const rules = RULES.filter((r) => r.meta.id !== "CD111");
  const findings = lint({ paths: [caseRoot("host-is-file")], rules, now: new Date(NOW) }).findings.filter((f) => f.ruleId === "CD001");
  expect(findings.map((f) => [f.host, f.severity, f.runtimeErrors.docker])).toEqual([
    ["registry.example.com:5000", "error", `readdirent ${caseRoot("host-is-file")}/registry.example.com:5000: not a directory`],
  ]);
});

test("every registered rule has cases where it fires and where it does not", () => {
  for (const r of RULES) {
    const row = TABLE[r.meta.id];
    expect(row).toBeDefined();
    if (r.meta.id !== "CD001") expect(row!.fires.length).toBeGreaterThan(0);
    expect(row!.passes.length).toBeGreaterThan(0);
  }
});

test("rules explain Docker 20.10's wording too", () => {
  expectCatches("CD102", "key-without-cert", [{ docker: "Missing client certificate client.cert for key client.key" }], "20.10");
  expectCatches("CD103", "ca-as-cert", [{ docker: "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt" }], "20.10");
});

test("no rule fires on a healthy directory", () => {
  for (const id of ["good", "good-key-pkcs1", "good-key-ec-sec1", "good-cert-chain", "good-ca-bundle", "good-two-pairs", "good-symlinked-ca"]) {
    for (const r of RULES) expectCatchesNot(r.meta.id, id);
  }
});
