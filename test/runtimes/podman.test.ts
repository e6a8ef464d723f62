import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeHost } from "../../src/material/host.js";
import { goProfile } from "../../src/material/go-profile.js";
import { podmanShadow, runtimesForRoot } from "../../src/runtimes/registry.js";
import { podmanOutcome } from "../../src/runtimes/podman.js";
import { scanHostDir } from "../../src/scan/scan.js";
import { caseHost, cleanupFixtures } from "../helpers/fixtures.js";

afterAll(cleanupFixtures);

const H = "registry.example.com:5000";
const outcome = (id: string, host?: string) => podmanOutcome(decodeHost(scanHostDir(caseHost(id, host))));

describe("podman (containers/image) model", () => {
  test("its own wording: lowercase, 'Note that … should', no trailing period", () => {
    expect(outcome("ca-as-cert").error).toBe(
      "missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt",
    );
    expect(outcome("key-without-cert").error).toBe("missing client certificate client.cert for key client.key");
    expect(outcome("ca-as-cert").printed).toBe(
      `initializing source docker://${H}/<image>: missing key ca.key for client certificate ca.cert. Note that CA certificates should use the extension .crt`,
    );
  });

  test("a dangling .crt is skipped with a warning, where Docker fails", () => {
    const dir = caseHost("dangling-crt");
    const o = outcome("dangling-crt");
    expect(o).toMatchObject({ status: "ok", caFiles: ["ca.crt"], clientPairs: [["client.cert", "client.key"]] });
    expect(o.logged).toEqual([
      {
        kind: "crt-read",
        level: "warning",
        message: `error reading certificate "${dir}/old.crt": open ${dir}/old.crt: no such file or directory`,
      },
    ]);
  });

  test("a symlink loop or a directory named .crt is still an error", () => {
    expect(outcome("symlink-loop").error).toMatch(/too many levels of symbolic links$/);
    expect(outcome("dir-named-crt").error).toMatch(/: is a directory$/);
  });

  test("loopback registries are read, and containerd's spellings are not", () => {
    expect(outcome("loopback").status).toBe("ok");
    expect(outcome("host-port-dir").status).toBe("not-read");
    expect(outcome("default-dir").status).toBe("not-read");
  });

  test("the Go build decides negative serials and small RSA keys", () => {
    const old = (id: string) => podmanOutcome(decodeHost(scanHostDir(caseHost(id))), { go: goProfile("1.19") });
    expect([old("key-rsa-512").status, outcome("key-rsa-512").status]).toEqual(["ok", "error"]);
    expect([old("cert-negative-serial").status, outcome("cert-negative-serial").status]).toEqual(["ok", "error"]);
  });

  // As root nothing is unreadable, so this needs an ordinary user to run.
  (process.getuid?.() === 0 ? test.skip : test)(
    "a host directory it may not list is skipped (needs a non-root user)",
    () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-podman-"));
      try {
        const d = path.join(tmp, H);
        mkdirSync(d);
        writeFileSync(path.join(d, "ca.crt"), "x");
        chmodSync(d, 0o000);
        expect(podmanOutcome(decodeHost(scanHostDir(d))).status).toBe("not-read");
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
});

describe("containers/image's search order", () => {
  let home: string;
  let roots: string[];
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "certsd-search-"));
    roots = [path.join(home, "user"), path.join(home, "etc-containers"), path.join(home, "etc-docker")];
    for (const r of roots) mkdirSync(path.join(r, H), { recursive: true });
    mkdirSync(path.join(roots[2]!, "other.example.com"), { recursive: true });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  test("the first existing directory for a host wins; the others are not read", () => {
    expect(podmanShadow(roots[2]!, H, roots)).toBe(path.join(roots[0]!, H));
    expect(podmanShadow(roots[1]!, H, roots)).toBe(path.join(roots[0]!, H));
    expect(podmanShadow(roots[0]!, H, roots)).toBeNull();
    expect(podmanShadow(roots[2]!, "other.example.com", roots)).toBeNull();
  });

  test("a root that is not one of the search roots is judged on its own", () => {
    expect(podmanShadow("/somewhere/else", H, roots)).toBeNull();
  });

  test("a shadowed directory is not read", () => {
    const o = podmanOutcome(decodeHost(scanHostDir(caseHost("good"))), {
      shadowedBy: "/root/.config/containers/certs.d/registry.example.com:5000",
    });
    expect(o.status).toBe("not-read");
    expect(o.reason).toContain("comes first in containers/image's search order");
  });
});

describe("which runtimes a root is checked for", () => {
  test.each([
    ["/etc/docker/certs.d", ["docker", "docker-containerd", "podman"]],
    ["/home/u/.config/docker/certs.d", ["docker", "docker-containerd", "podman"]],
    ["/srv/repo/roles/registry/files/etc/docker/certs.d", ["docker", "docker-containerd", "podman"]],
    ["/etc/containerd/certs.d", ["containerd"]],
    ["/etc/containers/certs.d", ["podman"]],
    ["/home/u/.config/containers/certs.d", ["podman"]],
    ["/srv/fixtures/certs", ["docker", "docker-containerd", "containerd", "podman"]],
  ])("%s", (root, expected) => {
    expect(runtimesForRoot(root)).toEqual(expected);
  });
});
