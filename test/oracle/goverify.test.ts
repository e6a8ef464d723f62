/**
 * Handshake-time texts against Go's own crypto/x509 (test/oracle/goverify, built here with the local Go). The CD4xx
 * rules quote what Go will print when the registry's certificate meets a CA in certs.d, or when the registry meets a
 * client certificate; this suite makes Go print it, for every fixture those rules judge:
 * - CA side: Go issues a fresh server certificate for the directory's host with the fixture CA's key, then verifies it
 *   against a pool built from the directory's .crt files, as the runtimes build it;
 * - pinned server certificates: Go verifies the pinned certificate itself for the directory's host;
 * - client side: Go verifies the client certificate against the fixture client CA for clientAuth, as a registry does.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lintPaths } from "../helpers/rule-tester.js";
import { caseHost, caseRoot, cleanupFixtures, NOW, REPO } from "../helpers/fixtures.js";

const HERE = path.join(REPO, "test", "oracle", "goverify");
const KEYS = path.join(REPO, "fixtures", "keys");
const H = "registry.example.com:5000";
const work = mkdtempSync(path.join(os.tmpdir(), "certsd-goverify-"));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  cleanupFixtures();
});

function build(): string | null {
  if (spawnSync("go", ["version"]).status !== 0) return null;
  const bin = path.join(work, "goverify");
  const env = {
    ...process.env,
    GOCACHE: path.join(work, "cache"),
    GOPATH: path.join(work, "gopath"),
    GOFLAGS: "-mod=mod",
    GO111MODULE: "on",
  };
  const r = spawnSync("go", ["build", "-o", bin, "."], { cwd: HERE, env, encoding: "utf8" });
  return r.status === 0 ? bin : null;
}

const bin = build();
if (!bin)
  console.log(
    "goverify: Go is not installed here (apt-get install golang-go; .ci/run gets it with the oracle); skipped",
  );

function goError(args: string[]): string | null {
  const out = execFileSync(bin!, [...args, "-now", NOW], { encoding: "utf8" });
  return (JSON.parse(out) as { error: string | null }).error;
}

function findings(id: string, host = H) {
  return lintPaths([caseRoot(id)], { runtimes: ["docker"] }).findings.filter((f) => f.host === host);
}

/** The Go text a finding of `rule` quotes for Docker (CA side), or null when the rule does not fire. */
function quoted(id: string, rule: string, host = H): string | null {
  return findings(id, host).find((f) => f.ruleId === rule)?.runtimeErrors.docker ?? null;
}

/** The directory's .crt files, as the pool is built from them. */
const roots = (id: string, host = H) =>
  readdirSync(caseHost(id, host))
    .filter((f) => f.endsWith(".crt"))
    .map((f) => path.join(caseHost(id, host), f))
    .join(",");

(bin ? describe : describe.skip)("Go's crypto/x509 prints what the CD4xx rules quote", () => {
  // [case, CA key, the rule that quotes Go's text (null: Go accepts, and no handshake rule may fire)]
  test.each([
    ["ca-expired", "root-ca", "CD401"],
    ["ca-not-yet-valid", "root-ca", "CD402"],
    ["ca-not-a-ca", "rogue-ca", "CD404"],
    ["ca-no-cert-sign", "root-ca", "CD404"],
    ["ca-eku-client-only", "root-ca", "CD413"],
    ["ca-critical-extension", "root-ca", "CD412"],
    ["good", "root-ca", null],
    ["ca-expiring-soon", "root-ca", null],
    ["ca-sha1", "root-ca", null],
    ["ca-rsa-1024", "rsa-1024", null],
    ["ca-duplicate", "root-ca", null],
    ["ca-same-name-new-key", "root-ca", null],
  ] as const)("CA side: %s (issued with %s's key) → %s", (id, key, rule) => {
    const go = goError([
      "-roots",
      roots(id),
      "-issuer",
      path.join(caseHost(id), "ca.crt"),
      "-issuer-key",
      path.join(KEYS, `${key}.pem`),
      "-host",
      "registry.example.com",
    ]);
    if (rule) expect(quoted(id, rule)).toBe(go);
    else {
      expect(go).toBeNull();
      const handshake = findings(id).filter((f) => /^CD4/.test(f.ruleId) && f.severity === "error");
      expect(handshake).toEqual([]);
    }
  });

  test.each([
    ["pinned-cn-only", H, "CD405"],
    ["pinned-wrong-name", H, "CD405"],
    ["pinned-ip", "10.0.0.5:5000", "CD405"],
    ["pinned-good", H, null],
    ["pinned-issued-leaf", H, null],
  ] as const)("pinned: %s (%s) → %s", (id, host, rule) => {
    const ca = path.join(caseHost(id, host), "ca.crt");
    const go = goError(["-roots", ca, "-leaf", ca, "-host", host.replace(/:\d+$/, "")]);
    if (rule) expect(quoted(id, rule, host)).toBe(go);
    else {
      expect(go).toBeNull();
      expect(findings(id, host).filter((f) => f.ruleId === "CD405")).toEqual([]);
    }
  });

  const clientCa = path.join(work, "client-ca.pem");
  beforeAll(() => {
    // The fixture client CA: the second certificate of good-cert-chain's client.cert.
    const blocks = readFileSync(path.join(caseHost("good-cert-chain"), "client.cert"), "utf8").match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g,
    )!;
    writeFileSync(clientCa, blocks[1]!);
  });

  test.each([
    ["client-eku-server-only", "CD307"],
    ["client-expired", "CD401"],
    ["client-sha1", "CD407"],
    ["good", null],
    ["client-expiring-soon", null],
    ["client-rsa-1024", null],
  ] as const)("client side (the registry verifying): %s → %s", (id, rule) => {
    const go = goError(["-roots", clientCa, "-leaf", path.join(caseHost(id), "client.cert"), "-usage", "client"]);
    if (rule) {
      const f = findings(id).find((x) => x.ruleId === rule);
      expect(f?.why).toContain(`tls: failed to verify client certificate: ${go}`);
    } else {
      expect(go).toBeNull();
      expect(findings(id).filter((f) => f.ruleId === "CD307" || f.ruleId === "CD401" || f.ruleId === "CD407")).toEqual(
        [],
      );
    }
  });
});
