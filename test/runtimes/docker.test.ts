import { decodeHost } from "../../src/material/host.js";
import { dockerClassicLoad, dockerNotReadReason, dockerOutcome } from "../../src/runtimes/docker.js";
import { dockerEngine } from "../../src/runtimes/docker-engine.js";
import type { RuntimeOutcome } from "../../src/runtimes/types.js";
import { scanHostDir } from "../../src/scan/scan.js";
import { caseHost, cleanupFixtures, MANIFEST } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const MISSING_KEY = (k: string, c: string) =>
  `missing key ${k} for client certificate ${c}. CA certificates must use the extension .crt`;
const MISSING_CERT = (c: string, k: string) => `missing client certificate ${c} for key ${k}`;

/** [status, error (with <dir> for the host directory), CA files, CA certificates, client pairs] under Docker v29. */
type Expected = [RuntimeOutcome["status"], string | null, string[], number, Array<[string, string]>];
const PAIR: Array<[string, string]> = [["client.cert", "client.key"]];
const OK1: Expected = ["ok", null, ["ca.crt"], 1, PAIR];
const NO_CA: Expected = ["ok", null, [], 0, PAIR];

const EXPECTED: Record<string, Expected> = {
  good: OK1,
  "good-ca-only": ["ok", null, ["ca.crt"], 1, []],
  "good-key-pkcs1": OK1,
  "good-key-ec-sec1": OK1,
  "good-key-ec-params": OK1,
  "good-key-p384": OK1,
  "good-key-ed25519": OK1,
  "good-key-label-mismatch": OK1,
  "good-cert-chain": OK1,
  "good-combined-files": OK1,
  "good-ca-bundle": ["ok", null, ["ca.crt"], 2, PAIR],
  "good-ca-with-text": OK1,
  "good-ca-crlf": OK1,
  "good-two-ca-files": ["ok", null, ["ca.crt", "z-root.crt"], 2, PAIR],
  "good-two-pairs": [
    "ok",
    null,
    ["ca.crt"],
    1,
    [
      ["a.cert", "a.key"],
      ["b.cert", "b.key"],
    ],
  ],
  "good-ca-with-private-key": OK1,
  "good-with-subdirectory": OK1,
  "good-symlinked-ca": OK1,
  "good-host-no-port": OK1,
  "good-client-crt-and-cert": ["ok", null, ["ca.crt", "client.crt"], 2, PAIR],
  "ca-as-cert": ["error", MISSING_KEY("ca.key", "ca.cert"), [], 0, []],
  "ca-as-cert-alone": ["error", MISSING_KEY("ca.key", "ca.cert"), [], 0, []],
  "cert-without-key": ["error", MISSING_KEY("client.key", "client.cert"), ["ca.crt"], 1, []],
  "key-without-cert": ["error", MISSING_CERT("client.cert", "client.key"), ["ca.crt"], 1, []],
  "client-as-crt": ["error", MISSING_CERT("client.cert", "client.key"), ["ca.crt", "client.crt"], 2, []],
  "ca-key-copied": ["error", MISSING_CERT("ca.cert", "ca.key"), ["ca.crt"], 1, []],
  "server-pair-copied": ["ok", null, [], 0, [["domain.cert", "domain.key"]]],
  "order-uppercase-first": ["error", MISSING_CERT("B.cert", "B.key"), [], 0, []],
  "ignored-pem": NO_CA,
  "ignored-uppercase": NO_CA,
  "ignored-cer-der": NO_CA,
  "ignored-backups": OK1,
  "ignored-client-pem": ["ok", null, ["ca.crt"], 1, []],
  "host-443": OK1,
  "hidden-crt": ["ok", null, [".crt"], 1, PAIR],
  "ca-der": NO_CA,
  "ca-empty": NO_CA,
  "ca-dev-null": NO_CA,
  "ca-dev-zero": ["undetermined", null, [], 0, []],
  "ca-large-bundle": ["ok", null, ["ca.crt"], 9, PAIR],
  "ca-pkcs7": NO_CA,
  "ca-trusted-certificate": NO_CA,
  "ca-bom": NO_CA,
  "ca-indented": NO_CA,
  "ca-utf16": NO_CA,
  "ca-key-only": NO_CA,
  "ca-with-headers": NO_CA,
  "ca-truncated": NO_CA,
  "ca-missing-end": NO_CA,
  "ca-bad-base64": NO_CA,
  "ca-negative-serial": NO_CA,
  "ca-partly-usable": OK1,
  "ca-garbage-hidden-file": OK1,
  appledouble: ["error", MISSING_KEY("._client.key", "._client.cert"), [], 0, []],
  "key-mismatch": ["error", "tls: private key does not match public key", ["ca.crt"], 1, []],
  "key-type-mismatch": ["error", "tls: private key type does not match public key type", ["ca.crt"], 1, []],
  "key-encrypted-pkcs8": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-encrypted-legacy": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-openssh": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-dsa": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-x25519": ["error", "tls: found unknown private key type in PKCS#8 wrapping", ["ca.crt"], 1, []],
  "key-x448": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-rsa-pss": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-secp256k1": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  "key-rsa-512": ["error", "tls: failed to parse private key", ["ca.crt"], 1, []],
  swapped: [
    "error",
    "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched",
    ["ca.crt"],
    1,
    [],
  ],
  "cert-der": ["error", "tls: failed to find any PEM data in certificate input", ["ca.crt"], 1, []],
  "cert-pkcs7": [
    "error",
    'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PKCS7]',
    ["ca.crt"],
    1,
    [],
  ],
  "cert-two-other-blocks": [
    "error",
    'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [PKCS7 TRUSTED CERTIFICATE]',
    ["ca.crt"],
    1,
    [],
  ],
  "key-empty": ["error", "tls: failed to find any PEM data in key input", ["ca.crt"], 1, []],
  "key-is-certificate": [
    "error",
    "tls: found a certificate rather than a key in the PEM for the private key",
    ["ca.crt"],
    1,
    [],
  ],
  "key-is-chain": [
    "error",
    'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [CERTIFICATE CERTIFICATE]',
    ["ca.crt"],
    1,
    [],
  ],
  "leaf-not-first": ["error", "tls: private key does not match public key", ["ca.crt"], 1, []],
  "cert-negative-serial": ["error", "x509: negative serial number", ["ca.crt"], 1, []],
  "cert-dsa-public-key": ["error", "tls: unknown public key algorithm", ["ca.crt"], 1, []],
  "cert-truncated": ["error", "x509: malformed certificate", ["ca.crt"], 1, []],
  "cert-with-headers": OK1,
  "dangling-crt": ["error", "open <dir>/old.crt: no such file or directory", ["ca.crt"], 1, PAIR],
  "dangling-key": ["error", "open <dir>/client.key: no such file or directory", ["ca.crt"], 1, []],
  "dir-named-crt": ["error", "read <dir>/extra.crt: is a directory", ["ca.crt"], 1, PAIR],
  "symlink-loop": ["error", "open <dir>/ca.crt: too many levels of symbolic links", [], 0, []],
  "fifo-crt": ["undetermined", null, [], 0, []],
  "empty-host": ["ok", null, [], 0, []],
  loopback: ["not-read", null, [], 0, []],
  "docker-hub": ["not-read", null, [], 0, []],
  "docker-hub-index": ["not-read", null, [], 0, []],
  "host-is-file": OK1, // its listed host, harbor.example.com; the file beside it is tested below
  // hosts.toml is containerd's: to the classic loader it is one more ignored file.
  "toml-valid": OK1,
  "toml-replaces-legacy": OK1,
  "toml-comment-only": OK1,
  "toml-empty": OK1,
  "toml-syntax-error": OK1,
  "toml-unknown-capability": OK1,
  "toml-referrers": ["ok", null, ["ca.crt"], 1, []],
  "toml-bad-ca-type": OK1,
  "toml-bad-client-pair": OK1,
  "toml-bad-dial-timeout": ["ok", null, ["ca.crt"], 1, []],
  "toml-unknown-keys": ["ok", null, ["ca.crt"], 1, []],
  "toml-ca-missing": ["ok", null, [], 0, []],
  "toml-ca-der": ["ok", null, [], 0, []],
  "toml-ca-external": ["ok", null, [], 0, []],
  "toml-client-combined": ["ok", null, ["ca.crt"], 1, []],
  "toml-client-two-files-as-list": OK1,
  "combined-cert-no-key": ["error", MISSING_KEY("client.key", "client.cert"), ["ca.crt"], 1, []],
  "host-port-dir": ["not-read", null, [], 0, []],
  "default-dir": ["not-read", null, [], 0, []],
  // catalogue cases: the load itself is clean; their trouble comes at the handshake (CD4xx) or is a silent skip
  "backup-still-loaded": [
    "ok",
    null,
    ["ca.crt", "old-ca.crt"],
    2,
    [
      ["client-2023.cert", "client-2023.key"],
      ["client.cert", "client.key"],
    ],
  ],
  "host-dir-url": ["ok", null, [], 0, []],
  "nested-host-dir": ["ok", null, [], 0, []],
  "ca-end-mismatch": ["ok", null, [], 0, [["client.cert", "client.key"]]],
  "ca-text-on-begin-line": ["ok", null, [], 0, [["client.cert", "client.key"]]],
  "ca-bundle-one-hidden": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "key-bom": ["error", "tls: failed to find any PEM data in key input", ["ca.crt"], 1, []],
  "client-eku-server-only": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "client-pair-is-ca": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-expired": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-not-yet-valid": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-expiring-soon": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "client-expired": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "client-expiring-soon": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-not-a-ca": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-no-cert-sign": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-eku-client-only": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-critical-extension": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-sha1": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "client-sha1": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-rsa-1024": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "client-rsa-1024": ["ok", null, ["ca.crt"], 1, [["client.cert", "client.key"]]],
  "ca-duplicate": ["ok", null, ["ca.crt", "root.crt"], 2, [["client.cert", "client.key"]]],
  "ca-same-name-new-key": ["ok", null, ["ca.crt", "new-ca.crt"], 2, [["client.cert", "client.key"]]],
  "pinned-cn-only": ["ok", null, ["ca.crt"], 1, []],
  "pinned-wrong-name": ["ok", null, ["ca.crt"], 1, []],
  "pinned-good": ["ok", null, ["ca.crt"], 1, []],
  "pinned-ip": ["ok", null, ["ca.crt"], 1, []],
  "pinned-issued-leaf": ["ok", null, ["ca.crt"], 1, []],
  "toml-server-no-scheme": ["ok", null, ["ca.crt"], 1, []],
  "toml-skip-verify": ["ok", null, ["ca.crt"], 1, []],
  "toml-dotted-host": ["ok", null, ["ca.crt"], 1, []],
  "toml-misnamed": ["ok", null, ["ca.crt"], 1, []],
  "toml-docker-hub-server": ["not-read", null, [], 0, []],
  "toml-title-case-keys": OK1,
  "toml-host-title-case": OK1,
  "toml-cr-line-ends": OK1,
  "toml-crlf-line-ends": OK1,
  "toml-bom": OK1,
  // Docker reads only its extensions: a directory named hosts.toml is not looked at (containerd fails on it: CD511).
  "hosts-toml-directory": OK1,
  "hosts-toml-empty-directory": OK1,
  "toml-ipv6-host": OK1,
  "toml-missing-comma": OK1,
};

describe("Docker classic model (v29) on every fixture host directory", () => {
  test("every single-host case has an expectation", () => {
    const singles = MANIFEST.filter((c) => c.hosts.length === 1).map((c) => c.id);
    expect(singles.filter((id) => !(id in EXPECTED))).toEqual([]);
  });

  test.each(Object.entries(EXPECTED))("%s", (id, [status, error, caFiles, caCertificates, clientPairs]) => {
    const dir = caseHost(id);
    const o = dockerOutcome(decodeHost(scanHostDir(dir)));
    expect({
      status: o.status,
      error: o.error,
      caFiles: o.caFiles,
      caCertificates: o.caCertificates,
      clientPairs: o.clientPairs,
    }).toEqual({
      status,
      error: error?.replaceAll("<dir>", dir) ?? null,
      caFiles,
      caCertificates,
      clientPairs,
    });
    if (o.error) expect(o.printed).toBe(`Error response from daemon: ${o.error}`);
  });
});

test("a host path that is a file: Docker's own ReadDir error", () => {
  const dir = caseHost("host-is-file", "registry.example.com:5000");
  const o = dockerOutcome(decodeHost(scanHostDir(dir)));
  expect([o.status, o.error]).toEqual(["error", `readdirent ${dir}: not a directory`]);
});

describe("what changes with the engine version", () => {
  const outcome = (id: string, version: string) =>
    dockerClassicLoad(decodeHost(scanHostDir(caseHost(id))), dockerEngine(version));

  test("the four historic wordings of the pairing errors", () => {
    expect([
      outcome("ca-as-cert", "29").error,
      outcome("ca-as-cert", "20.10").error,
      outcome("ca-as-cert", "1.12").error,
      outcome("ca-as-cert", "1.8").error,
    ]).toEqual([
      "missing key ca.key for client certificate ca.cert. CA certificates must use the extension .crt",
      "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt",
      "Missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt.",
      "Missing key ca.key for certificate ca.cert",
    ]);
    expect([
      outcome("key-without-cert", "23").error,
      outcome("key-without-cert", "20.10").error,
      outcome("key-without-cert", "1.9").error,
    ]).toEqual([
      "missing client certificate client.cert for key client.key",
      "Missing client certificate client.cert for key client.key",
      "Missing certificate client.cert for key client.key",
    ]);
  });

  test("Go 1.23+ defaults (Docker v29) reject negative serials: dropped from ca.crt, fatal in client.cert", () => {
    expect(outcome("ca-negative-serial", "28").caCertificates).toBe(1);
    expect(outcome("ca-negative-serial", "29").caCertificates).toBe(0);
    expect(outcome("cert-negative-serial", "28").status).toBe("ok");
    expect(outcome("cert-negative-serial", "29").error).toBe("x509: negative serial number");
  });

  test("rsa1024min (Go 1.24 defaults, Docker v29) refuses a 512-bit client key", () => {
    expect(outcome("key-rsa-512", "28").status).toBe("ok");
    expect(outcome("key-rsa-512", "29").error).toBe("tls: failed to parse private key");
  });

  test("an X25519 key: Go 1.19 cannot parse it, Go 1.20+ parses it and tls rejects its type", () => {
    expect(outcome("key-x25519", "20.10").error).toBe("tls: failed to parse private key");
    expect(outcome("key-x25519", "24").error).toBe("tls: found unknown private key type in PKCS#8 wrapping");
  });
});

describe("directories dockerd never reads", () => {
  const engine29 = dockerEngine("29");
  const engine27 = dockerEngine("27");
  test.each([
    ["localhost:5000", true, true],
    ["localhost", true, true],
    ["127.0.0.1:5000", true, true],
    ["127.5.6.7", true, true],
    ["[::1]:5000", true, false],
    ["docker.io", true, true],
    ["index.docker.io", true, true],
    ["registry.example.com:5000", false, false],
    ["128.0.0.1:5000", false, false],
    ["registry-1.docker.io", false, false],
  ])("%s: skipped by v29 %s, by v27 %s", (name, v29, v27) => {
    expect(dockerNotReadReason(name, engine29) !== null).toBe(v29);
    expect(dockerNotReadReason(name, engine27) !== null).toBe(v27);
  });

  test("the verdicts stay available for other clients of the same directory", () => {
    const o = dockerOutcome(decodeHost(scanHostDir(caseHost("loopback"))));
    expect(o.status).toBe("not-read");
    expect(o.verdicts.get("client.cert")?.error).toBeNull();
  });
});
