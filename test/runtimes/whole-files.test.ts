/**
 * Whole files and devices, through every runtime model: loaders read a file whole (os.ReadFile has no limit), so a
 * 1.1 MB bundle loads; /dev/null reads as empty; /dev/zero and its kind never end, so the read never returns.
 * What the real programs do with the same directories is checked in test/oracle/oracle.test.ts.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeHost } from "../../src/material/host.js";
import { containerdOutcome } from "../../src/runtimes/containerd.js";
import { dockerContainerdOutcome } from "../../src/runtimes/docker-containerd.js";
import { dockerOutcome } from "../../src/runtimes/docker.js";
import { podmanOutcome } from "../../src/runtimes/podman.js";
import type { RuntimeId, RuntimeOutcome } from "../../src/runtimes/types.js";
import { scanHostDir } from "../../src/scan/scan.js";
import { caseHost, CASES, cleanupFixtures } from "../helpers/fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-whole-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

const GOOD = path.join(CASES, "good", "registry.example.com:5000");
const MiB = 1024 * 1024;

function all(dir: string): Record<RuntimeId, RuntimeOutcome> {
  const hm = decodeHost(scanHostDir(dir));
  return {
    docker: dockerOutcome(hm),
    podman: podmanOutcome(hm),
    "docker-containerd": dockerContainerdOutcome(hm),
    containerd: containerdOutcome(hm),
  };
}

let n = 0;
/** A host directory with the good client pair and `make` done in it. */
function host(make: (dir: string) => void): string {
  const dir = path.join(tmp, `c${n++}`, "certs.d", "registry.example.com:5000");
  mkdirSync(dir, { recursive: true });
  for (const f of ["client.cert", "client.key"]) copyFileSync(path.join(GOOD, f), path.join(dir, f));
  make(dir);
  return dir;
}

describe("a 1.1 MB bundle (the root CA last, past the first MiB) loads in every runtime", () => {
  test.each(["docker", "podman", "docker-containerd", "containerd"] as const)("%s", (runtime) => {
    const o = all(caseHost("ca-large-bundle"))[runtime];
    // 8 distinct certificates repeated, then the root CA: the pool keeps one of each.
    expect([o.status, o.error, o.caFiles, o.caCertificates, o.clientPairs]).toEqual([
      "ok",
      null,
      ["ca.crt"],
      9,
      [["client.cert", "client.key"]],
    ]);
  });
});

describe("beyond 64 MiB: the runtime reads it whole, certsd-lint says it did not examine it", () => {
  const big = host((d) => execFileSync("truncate", ["-s", String(64 * MiB + 1), path.join(d, "ca.crt")]));
  const o = all(big);
  const size = `ca.crt is ${64 * MiB + 1} bytes, more than the 64 MiB certsd-lint reads of a file, so its content was not examined; `;

  test("each runtime's own reader and what it does with the bytes", () => {
    expect(o.docker.reason).toBe(
      `${size}dockerd reads it whole (os.ReadFile has no size limit) and appends the PEM certificates in it to the CA pool (a file holding none adds nothing, silently): what that yields is not known`,
    );
    expect(o.podman.reason).toBe(
      `${size}podman (containers/image) reads it whole (os.ReadFile has no size limit) and appends the PEM certificates in it to the CA pool (a file holding none adds nothing, silently): what that yields is not known`,
    );
    expect(o.containerd.reason).toBe(
      `${size}the program resolving the image (containerd, ctr, nerdctl) reads it whole (os.ReadFile has no size limit) and appends the PEM certificates in it to the CA pool, failing with "unable to load CA cert "${big}/ca.crt"" if it holds none: what that yields is not known`,
    );
    expect(o["docker-containerd"].reason).toMatch(
      /^ca\.crt is 67108865 bytes, .*; dockerd reads it whole .*failing with "unable to load CA cert/,
    );
    for (const r of Object.values(o))
      expect([r.status, r.error, r.errorFile]).toEqual(["undetermined", null, "ca.crt"]);
  });

  test("a client key that large: read whole, then tls.LoadX509KeyPair / tls.X509KeyPair", () => {
    const d = host((dir) => {
      copyFileSync(path.join(GOOD, "ca.crt"), path.join(dir, "ca.crt"));
      rmSync(path.join(dir, "client.key"));
      execFileSync("truncate", ["-s", String(65 * MiB), path.join(dir, "client.key")]);
    });
    const k = all(d);
    expect(k.docker.reason).toMatch(
      /^client\.key is 68157440 bytes, .*dockerd reads it whole \(os\.ReadFile has no size limit\) and passes it to tls\.LoadX509KeyPair with its partner/,
    );
    expect(k.containerd.reason).toMatch(/and passes it to tls\.X509KeyPair with its partner/);
    for (const r of Object.values(k)) expect(r.status).toBe("undetermined");
  });
});

describe("/dev/null: an empty read, known without opening it", () => {
  test("Docker and podman add nothing from it, silently; the containerd family fails", () => {
    const dir = caseHost("ca-dev-null");
    const o = all(dir);
    for (const r of [o.docker, o.podman]) {
      expect([r.status, r.error, r.caFiles, r.clientPairs]).toEqual(["ok", null, [], [["client.cert", "client.key"]]]);
      expect(r.ignored.map((i) => [i.file, i.reason])).toEqual([["ca.crt", "no-certificate"]]);
    }
    for (const r of [o.containerd, o["docker-containerd"]])
      expect([r.status, r.error]).toEqual(["error", `unable to load CA cert "${dir}/ca.crt"`]);
    expect(o.containerd.printed).toBe(
      `failed to resolve reference "registry.example.com:5000/<image>": unable to load CA cert "${dir}/ca.crt"`,
    );
  });

  test("as a client certificate or key it is an empty input to X509KeyPair", () => {
    const cert = host((d) => {
      rmSync(path.join(d, "client.cert"));
      symlinkSync("/dev/null", path.join(d, "client.cert"));
    });
    expect(all(cert).docker.error).toBe("tls: failed to find any PEM data in certificate input");
    expect(all(cert).containerd.error).toBe(
      "failed to load X509 key pair: tls: failed to find any PEM data in certificate input",
    );
    const key = host((d) => {
      rmSync(path.join(d, "client.key"));
      symlinkSync("/dev/null", path.join(d, "client.key"));
    });
    expect(all(key).podman.error).toBe("tls: failed to find any PEM data in key input");
  });

  test("hosts.toml -> /dev/null is an empty hosts.toml: containerd uses the Docker-style files", () => {
    const d = host((dir) => {
      copyFileSync(path.join(GOOD, "ca.crt"), path.join(dir, "ca.crt"));
      symlinkSync("/dev/null", path.join(dir, "hosts.toml"));
    });
    const o = all(d).containerd;
    expect([o.status, o.hostsToml?.status, o.caFiles]).toEqual(["ok", "empty", ["ca.crt"]]);
  });
});

describe("devices without end: the read never returns", () => {
  const ENDLESS = [
    ["/dev/zero", "1:5"],
    ["/dev/full", "1:7"],
    ["/dev/random", "1:8"],
    ["/dev/urandom", "1:9"],
  ].filter(([dev]) => existsSync(dev!));

  test.each(ENDLESS)("ca.crt -> %s (%s): every runtime hangs, with no loader error", (dev, numbers) => {
    const dir = dev === "/dev/zero" ? caseHost("ca-dev-zero") : host((d) => symlinkSync(dev, path.join(d, "ca.crt")));
    const o = all(dir);
    const reader: Record<RuntimeId, string> = {
      docker: "dockerd",
      podman: "podman (containers/image)",
      "docker-containerd": "dockerd",
      containerd: "the program resolving the image (containerd, ctr, nerdctl)",
    };
    for (const [id, r] of Object.entries(o) as Array<[RuntimeId, RuntimeOutcome]>) {
      expect([id, r.status, r.error, r.errorFile]).toEqual([id, "undetermined", null, "ca.crt"]);
      expect(r.reason).toBe(
        `ca.crt is a symlink to ${dev}, the character device ${numbers} (${dev}), which never ends: os.ReadFile never returns, so ${reader[id]} reads forever and the operation hangs, ` +
          `its memory growing until the process runs out (Go's "fatal error: out of memory", or the kernel's OOM killer); no loader error is printed`,
      );
      expect(r.verdicts.get("ca.crt")?.role).toBe("undetermined");
    }
  });

  test("other devices are not guessed at: certsd-lint says it did not open them", () => {
    const devs = [
      ["/dev/kmsg", "character device 1:11", "reads whatever the device yields, until it ends (if it ever does)"],
      ["/dev/loop0", "block device 7:0", "reads the whole device, whatever it holds"],
    ].filter(([dev]) => existsSync(dev!));
    for (const [dev, what, does] of devs) {
      const o = all(host((d) => symlinkSync(dev!, path.join(d, "ca.crt"))));
      expect(o.docker.status).toBe("undetermined");
      expect(o.docker.reason).toBe(
        `ca.crt is a symlink to ${dev}, the ${what}, which certsd-lint does not open: dockerd ${does}`,
      );
    }
  });

  test("a FIFO still hangs as before", () => {
    const o = all(host((d) => execFileSync("mkfifo", [path.join(d, "ca.crt")])));
    expect(o.docker.reason).toBe(
      "ca.crt is a FIFO: reading it blocks until something writes to it, so the operation hangs",
    );
  });
});

test("the bundle's last certificate is what a bounded prefix would have missed", () => {
  // Guards the fixture itself: over 1 MiB, and the root CA only in its last bytes.
  const dir = caseHost("ca-large-bundle");
  const hm = decodeHost(scanHostDir(dir));
  const m = hm.material.get(hm.host.entries.find((e) => e.name === "ca.crt")!)!;
  const last = m.certificates[m.certificates.length - 1]!;
  expect(last.description?.subject).toBe("CN=certsd-lint Fixture Root CA, O=certsd-lint");
  expect(m.blocks[m.blocks.length - 1]!.offset).toBeGreaterThan(MiB);
});
