import path from "node:path";
import { decodeHost } from "../../src/material/host.js";
import { containerdOutcome } from "../../src/runtimes/containerd.js";
import { containerdRelease } from "../../src/runtimes/containerd-release.js";
import { dockerContainerdOutcome } from "../../src/runtimes/docker-containerd.js";
import { dockerEngine } from "../../src/runtimes/docker-engine.js";
import type { RuntimeOutcome } from "../../src/runtimes/types.js";
import { readFileAt, scanHostDir } from "../../src/scan/scan.js";
import { caseHost, CASES, cleanupFixtures, MANIFEST, REPO } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const H = "registry.example.com:5000";
const PAIR_ERR = (e: string) => `failed to load X509 key pair: ${e}`;
const CERT_NOT_KEY = "tls: found a certificate rather than a key in the PEM for the private key";
const LOAD = (id: string, f: string, host = H) => `unable to load CA cert "${path.join(CASES, id, host, f)}"`;

function outcome(id: string, release = containerdRelease("2.2"), host?: string): RuntimeOutcome {
  const dir = caseHost(id, host);
  const hostDir = scanHostDir(dir);
  const external = id === "toml-ca-external" ? [readFileAt(path.join(REPO, "fixtures/external/root-ca.pem"))] : [];
  return containerdOutcome(decodeHost(hostDir, external), release);
}

/** [status, error, CA files, client pairs, hosts.toml status] under containerd v2.2 (legacy loader when no hosts.toml). */
type Expected = [RuntimeOutcome["status"], string | null, string[], Array<[string, string]>, string];
const PAIR: Array<[string, string]> = [["client.cert", "client.key"]];
const OK1: Expected = ["ok", null, ["ca.crt"], PAIR, "absent"];

const EXPECTED: Record<string, Expected> = {
  good: OK1,
  "good-two-pairs": [
    "ok",
    null,
    ["ca.crt"],
    [
      ["a.cert", "a.key"],
      ["b.cert", "b.key"],
    ],
    "absent",
  ],
  "good-client-crt-and-cert": ["ok", null, ["ca.crt", "client.crt"], PAIR, "absent"],
  "good-with-subdirectory": OK1,
  // Pairing is lenient: no "missing key" and no "missing certificate".
  "ca-as-cert": ["error", PAIR_ERR(CERT_NOT_KEY), [], [], "absent"],
  "cert-without-key": ["error", PAIR_ERR(CERT_NOT_KEY), ["ca.crt"], [], "absent"],
  "combined-cert-no-key": ["ok", null, ["ca.crt"], [["client.cert", "client.cert"]], "absent"],
  "key-without-cert": ["ok", null, ["ca.crt"], [], "absent"],
  "client-as-crt": ["ok", null, ["ca.crt", "client.crt"], [], "absent"],
  "ca-key-copied": ["ok", null, ["ca.crt"], [], "absent"],
  "order-uppercase-first": ["error", PAIR_ERR(CERT_NOT_KEY), [], [], "absent"],
  // A CA file with nothing usable is fatal, and CA files are loaded before any pair.
  "ca-der": ["error", LOAD("ca-der", "ca.crt"), [], [], "absent"],
  "ca-empty": ["error", LOAD("ca-empty", "ca.crt"), [], [], "absent"],
  // /dev/null reads as empty: the same as ca-empty (ctr 1.6 prints it: test/oracle).
  "ca-dev-null": ["error", LOAD("ca-dev-null", "ca.crt"), [], [], "absent"],
  "ca-dev-zero": ["undetermined", null, [], [], "absent"],
  "ca-large-bundle": OK1,
  "ca-garbage-hidden-file": ["error", LOAD("ca-garbage-hidden-file", ".hidden.crt"), [], [], "absent"],
  appledouble: ["error", LOAD("appledouble", "._ca.crt"), [], [], "absent"],
  "ca-partly-usable": OK1,
  "ca-negative-serial": ["error", LOAD("ca-negative-serial", "ca.crt"), [], [], "absent"],
  "key-mismatch": ["error", PAIR_ERR("tls: private key does not match public key"), ["ca.crt"], [], "absent"],
  "key-x25519": ["error", PAIR_ERR("tls: found unknown private key type in PKCS#8 wrapping"), ["ca.crt"], [], "absent"],
  "cert-dsa-public-key": ["error", PAIR_ERR("tls: unknown public key algorithm"), ["ca.crt"], [], "absent"],
  "dangling-crt": [
    "error",
    `unable to read CA cert "${path.join(CASES, "dangling-crt", H, "old.crt")}": open ${path.join(CASES, "dangling-crt", H, "old.crt")}: no such file or directory`,
    ["ca.crt"],
    [],
    "absent",
  ],
  // A dangling key is "missing": the key is then looked for in the .cert.
  "dangling-key": ["error", PAIR_ERR(CERT_NOT_KEY), ["ca.crt"], [], "absent"],
  "host-is-file": OK1,
  loopback: OK1,
  "docker-hub": ["ok", null, ["ca.crt"], [], "absent"],
  "host-port-dir": OK1,
  "default-dir": ["ok", null, ["ca.crt"], [], "absent"],
  // hosts.toml
  "toml-valid": ["ok", null, ["ca.crt"], PAIR, "valid"],
  "toml-replaces-legacy": ["ok", null, [], [], "valid"],
  "toml-comment-only": ["ok", null, [], [], "valid"],
  "toml-empty": ["ok", null, ["ca.crt"], PAIR, "empty"],
  "toml-syntax-error": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-unknown-capability": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-referrers": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-bad-ca-type": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-bad-client-pair": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-bad-dial-timeout": ["ok", null, ["ca.crt"], [], "invalid"],
  "toml-unknown-keys": ["ok", null, [], [], "valid"],
  "toml-ca-missing": [
    "error",
    `unable to read CA cert "${path.join(CASES, "toml-ca-missing", H, "registry-ca.crt")}": open ${path.join(CASES, "toml-ca-missing", H, "registry-ca.crt")}: no such file or directory`,
    [],
    [],
    "valid",
  ],
  "toml-ca-der": ["error", LOAD("toml-ca-der", "ca.der"), [], [], "valid"],
  "toml-ca-external": ["ok", null, [path.join(REPO, "fixtures/external/root-ca.pem")], [], "valid"],
  "toml-client-combined": ["ok", null, ["ca.crt"], [["client.pem", "client.pem"]], "valid"],
  "toml-client-two-files-as-list": ["error", PAIR_ERR(CERT_NOT_KEY), ["ca.crt"], [], "valid"],
  "toml-server-no-scheme": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-skip-verify": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-dotted-host": ["ok", null, [], [], "valid"],
  "toml-misnamed": ["ok", null, ["ca.crt"], [], "absent"],
  "toml-docker-hub-server": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-title-case-keys": [
    "error",
    `unable to read CA cert "${path.join(CASES, "toml-title-case-keys", H, "registry-ca.pem")}": open ${path.join(CASES, "toml-title-case-keys", H, "registry-ca.pem")}: no such file or directory`,
    [],
    [],
    "valid",
  ],
  "toml-host-title-case": ["ok", null, [], [], "valid"],
  "toml-cr-line-ends": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-crlf-line-ends": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-bom": ["ok", null, ["ca.crt"], PAIR, "invalid"],
  "toml-ipv6-host": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-missing-comma": ["ok", null, ["ca.crt"], PAIR, "invalid"],
};

/** The same under containerd v1.6 (go-toml v1), each seen with the real ctr 1.6.20 (test/oracle). */
const EXPECTED_V16: Record<string, [...Expected, string?]> = {
  "toml-title-case-keys": ["ok", null, [], [], "valid"],
  "toml-host-title-case": ["ok", null, ["ca.crt"], PAIR, "invalid", "invalid `host` tree"],
  "toml-cr-line-ends": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-crlf-line-ends": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-bom": ["ok", null, ["ca.crt"], [], "valid"],
  "toml-ipv6-host": [
    "ok",
    null,
    ["ca.crt"],
    PAIR,
    "invalid",
    "failed to parse TOML: (1, 2): unexpected token table key cannot contain ']', was expecting a table key",
  ],
  "toml-missing-comma": ["ok", null, ["ca.crt"], PAIR, "invalid", "failed to parse TOML: (2, 27): missing comma"],
  "toml-syntax-error": [
    "ok",
    null,
    ["ca.crt"],
    PAIR,
    "invalid",
    "failed to parse TOML: (2, 2): unexpected token unclosed table key, was expecting a table key",
  ],
};

describe("containerd model (v2.2) on fixture host directories", () => {
  test.each(Object.entries(EXPECTED))("%s", (id, [status, error, caFiles, clientPairs, toml]) => {
    const o = outcome(id);
    expect({
      status: o.status,
      error: o.error,
      caFiles: o.caFiles,
      clientPairs: o.clientPairs,
      toml: o.hostsToml?.status,
    }).toEqual({
      status,
      error,
      caFiles,
      clientPairs,
      toml,
    });
  });

  test("a hosts.toml that fails to decode is logged, with the path in v2 and without it in v1", () => {
    const dir = caseHost("toml-unknown-capability");
    expect(outcome("toml-unknown-capability").logged).toEqual([
      {
        kind: "hosts-toml-decode",
        level: "error",
        message: `failed to decode ${dir}/hosts.toml`,
        error: "unknown capability fetch",
        verbatim: true,
      },
    ]);
    expect(outcome("toml-unknown-capability", containerdRelease("1.7")).logged[0]!.message).toBe(
      "failed to decode hosts.toml",
    );
  });

  test("the Docker-style files a valid hosts.toml switches off are listed as ignored", () => {
    expect(outcome("toml-replaces-legacy").ignored.map((i) => [i.file, i.reason])).toEqual([
      ["ca.crt", "hosts-toml"],
      ["client.cert", "hosts-toml"],
      ["client.key", "hosts-toml"],
    ]);
  });

  test("a lone key and a subdirectory are skipped, not errors", () => {
    expect(outcome("key-without-cert").ignored.map((i) => [i.file, i.reason])).toEqual([["client.key", "skipped"]]);
    expect(outcome("dir-named-crt")).toMatchObject({ status: "ok", caFiles: ["ca.crt"] });
  });

  test("version gates: referrers from v2.2, dial_timeout from v2.1, negative serials from v2.0.5", () => {
    expect(outcome("toml-referrers", containerdRelease("2.1")).hostsToml).toMatchObject({
      status: "invalid",
      error: "unknown capability referrers",
    });
    expect(outcome("toml-bad-dial-timeout", containerdRelease("2.0")).hostsToml?.status).toBe("valid");
    expect(outcome("toml-bad-dial-timeout", containerdRelease("2.1")).hostsToml?.status).toBe("invalid");
    expect(outcome("ca-negative-serial", containerdRelease("2.0.4")).status).toBe("ok");
    expect(outcome("ca-negative-serial", containerdRelease("2.0.5")).status).toBe("error");
  });

  test("host_port_ wins over host:port", () => {
    expect(outcome("host-port-both", containerdRelease("2.2"), H)).toMatchObject({ status: "not-read" });
    expect(outcome("host-port-both", containerdRelease("2.2"), "registry.example.com_5000_")).toMatchObject({
      status: "error",
      error: PAIR_ERR(CERT_NOT_KEY),
    });
  });

  test("a host path that is a file: the read of hosts.toml inside it fails", () => {
    const file = caseHost("host-is-file", H);
    expect(outcome("host-is-file", containerdRelease("2.2"), H)).toMatchObject({
      status: "error",
      error: `open ${file}/hosts.toml: not a directory`,
    });
  });

  test("containerd 1.x (go-toml v1): a hosts.toml without a host table is invalid, and the Docker-style files are used", () => {
    // Seen with the real ctr 1.6.20 (test/oracle): `failed to decode hosts.toml` error="invalid `host` tree".
    const v16 = containerdRelease("1.6");
    for (const id of ["toml-replaces-legacy", "toml-comment-only"]) {
      const o = outcome(id, v16);
      expect([id, o.status, o.caFiles, o.clientPairs, o.hostsToml?.status, o.hostsToml?.error, o.logged]).toEqual([
        id,
        "ok",
        ["ca.crt"],
        PAIR,
        "invalid",
        "invalid `host` tree",
        [
          {
            kind: "hosts-toml-decode",
            level: "error",
            message: "failed to decode hosts.toml",
            error: "invalid `host` tree",
            verbatim: true,
          },
        ],
      ]);
      expect(outcome(id, containerdRelease("2.0")).hostsToml?.status).toBe("valid");
    }
    // With a host table, 1.x reads it as 2.x does.
    expect(outcome("toml-valid", v16)).toMatchObject({
      status: "ok",
      caFiles: ["ca.crt"],
      hostsToml: { status: "valid" },
    });
  });

  test.each(Object.entries(EXPECTED_V16))(
    "containerd 1.6 (go-toml v1): %s",
    (id, [status, error, caFiles, clientPairs, toml, tomlError]) => {
      const o = outcome(id, containerdRelease("1.6"));
      expect({
        status: o.status,
        error: o.error,
        caFiles: o.caFiles,
        clientPairs: o.clientPairs,
        toml: o.hostsToml?.status,
        tomlError: o.hostsToml?.error,
      }).toEqual({
        status,
        error,
        caFiles,
        clientPairs,
        toml,
        tomlError: tomlError ?? null,
      });
    },
  );

  test("every single-host case with a hosts.toml has an expectation", () => {
    const missing = MANIFEST.filter((c) => c.id.startsWith("toml-") && !(c.id in EXPECTED)).map((c) => c.id);
    expect(missing).toEqual([]);
  });
});

describe("Docker's containerd store", () => {
  const hm = (id: string) => decodeHost(scanHostDir(caseHost(id)));
  test("follows containerd's rules with dockerd's Go and wrapping", () => {
    const o = dockerContainerdOutcome(hm("ca-as-cert"), dockerEngine("29"));
    expect(o.error).toBe(PAIR_ERR(CERT_NOT_KEY));
    expect(o.printed).toBe(
      `Error response from daemon: failed to resolve reference "${H}/<image>": ${PAIR_ERR(CERT_NOT_KEY)}`,
    );
  });
  test("reads loopback and Docker Hub directories, unlike the classic path", () => {
    expect(dockerContainerdOutcome(hm("loopback")).status).toBe("ok");
    expect(dockerContainerdOutcome(hm("docker-hub")).caFiles).toEqual(["ca.crt"]);
  });
  test("before v28 its loader was BuildKit's own: undetermined", () => {
    expect(dockerContainerdOutcome(hm("good"), dockerEngine("27")).status).toBe("undetermined");
  });
});
