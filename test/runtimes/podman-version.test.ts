/**
 * --podman-version: which podman (containers/image, with podman's skopeo and buildah of the same era) is modelled,
 * by the Go its builds use. Debian 12's podman 4.3 / skopeo 1.9.3 are Go 1.19 builds (the oracle's skopeo prints
 * go1.19.8); podman 5 is modelled as a Go 1.24 build.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { podmanRelease } from "../../src/runtimes/podman.js";
import type { JsonReport } from "../../src/report/json.js";
import { cli } from "../helpers/cli.js";
import { caseRoot, cleanupFixtures, NOW } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const podmanOf = (args: string[]) => {
  const r = cli(["--format", "json", "--runtime", "podman", "--now", NOW, ...args]);
  return { code: r.code, stderr: r.stderr, report: r.stdout ? (JSON.parse(r.stdout) as JsonReport) : null };
};

test("each podman release maps to the Go of its builds", () => {
  expect(podmanRelease("5").go).toMatchObject({ toolchain: "1.24", godebug: "1.24" });
  expect(podmanRelease("5.0").go).toMatchObject({ toolchain: "1.22", godebug: "1.21" });
  expect(podmanRelease("4.9").go.toolchain).toBe("1.21");
  expect(podmanRelease("4.3.1").go).toMatchObject({ toolchain: "1.19", godebug: "1.19" });
  expect(podmanRelease("3.4").go.toolchain).toBe("1.16");
  expect(() => podmanRelease("2")).toThrow("not a podman version (3.0 or later): 2");
  expect(() => podmanRelease("latest")).toThrow("not a podman version");
});

test("an X25519 client key: podman 4.3 (Go 1.19) cannot parse it at all, podman 5 (Go 1.24) finds an unusable key type", () => {
  const old = podmanOf(["--podman-version", "4.3", caseRoot("key-x25519")]).report!;
  expect(old.options.podmanVersion).toBe("4.3");
  expect(old.hosts[0]!.runtimes.podman!.error).toBe("tls: failed to parse private key");
  const current = podmanOf([caseRoot("key-x25519")]).report!;
  expect(current.options.podmanVersion).toBe("5");
  expect(current.hosts[0]!.runtimes.podman!.error).toBe("tls: found unknown private key type in PKCS#8 wrapping");
});

test("a negative serial number: loaded by podman 4.3, refused by podman 5", () => {
  const old = podmanOf(["--podman-version", "4.3", caseRoot("ca-negative-serial")]).report!;
  expect(old.hosts[0]!.runtimes.podman!.caCertificates).toBe(1);
  expect(old.findings.find((f) => f.ruleId === "CD409")).toMatchObject({ severity: "warning" });
  const current = podmanOf([caseRoot("ca-negative-serial")]).report!;
  expect(current.hosts[0]!.runtimes.podman!.caCertificates).toBe(0);
});

test("podmanVersion in the configuration, the flag winning; bad values name where they came from", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "certsd-podman-"));
  try {
    const config = path.join(dir, ".certsd-lint.json");
    writeFileSync(config, '{"podmanVersion": "4.3"}');
    expect(podmanOf(["--config", config, caseRoot("key-x25519")]).report!.options.podmanVersion).toBe("4.3");
    expect(
      podmanOf(["--config", config, "--podman-version", "5.4", caseRoot("key-x25519")]).report!.options.podmanVersion,
    ).toBe("5.4");
    writeFileSync(config, '{"podmanVersion": "two"}');
    expect(podmanOf(["--config", config, caseRoot("key-x25519")])).toMatchObject({
      code: 2,
      stderr: `certsd-lint: ${config}: podmanVersion: not a podman version (3.0 or later): two\n`,
    });
    writeFileSync(config, '{"podmanVersion": 4.3}');
    expect(podmanOf(["--config", config, caseRoot("key-x25519")]).stderr).toContain(
      "podmanVersion: write the version quoted",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  expect(podmanOf(["--podman-version", "nine", caseRoot("key-x25519")])).toMatchObject({
    code: 2,
    stderr: "certsd-lint: --podman-version: not a podman version (3.0 or later): nine\n",
  });
});
