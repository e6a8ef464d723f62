/**
 * CD612: roots read by a daemon running as an ordinary user (rootless dockerd, the user's podman). Real files with
 * real modes; the judgment is by mode bits against the daemon's user (the tests may run as root, whose own opens
 * would succeed), never by trying to open.
 */
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HEADLINE_MAX } from "../../src/engine/rule.js";
import { discoverHost } from "../../src/host/discover.js";
import { mayAccess, R_OK, X_OK } from "../../src/host/access.js";
import { dockerEngine } from "../../src/runtimes/docker-engine.js";
import type { HostSettings, RootReader } from "../../src/runtimes/roots.js";
import type { RuntimeId } from "../../src/runtimes/types.js";
import { cli } from "../helpers/cli.js";
import { caseHost, NOW } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "certsd-access-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ANN: RootReader = {
  daemon: "rootless dockerd",
  user: "ann",
  uid: 4242,
  gids: [4242, 999],
  subuids: [[100000, 65536]],
  subgids: [[100000, 65536]],
  blocked: [],
};

test("mode bits against the user: owner, group, other; mapped owner and group are the namespace root's", () => {
  expect(mayAccess(ANN, { mode: 0o600, uid: 0, gid: 0 }, R_OK)).toBe(false);
  expect(mayAccess(ANN, { mode: 0o644, uid: 0, gid: 0 }, R_OK)).toBe(true);
  expect(mayAccess(ANN, { mode: 0o640, uid: 0, gid: 999 }, R_OK)).toBe(true);
  expect(mayAccess(ANN, { mode: 0o600, uid: 4242, gid: 4242 }, R_OK)).toBe(true);
  // Owned by the user with an unmapped group: the owner bits alone decide.
  expect(mayAccess(ANN, { mode: 0o200, uid: 4242, gid: 999 }, R_OK)).toBe(false);
  // Owner and group both mapped: CAP_DAC_OVERRIDE in the user namespace, whatever the mode.
  expect(mayAccess(ANN, { mode: 0o000, uid: 4242, gid: 4242 }, R_OK)).toBe(true);
  expect(mayAccess(ANN, { mode: 0o600, uid: 100001, gid: 100001 }, R_OK)).toBe(true);
  expect(mayAccess(ANN, { mode: 0o600, uid: 100001, gid: 0 }, R_OK)).toBe(false);
  expect(mayAccess(ANN, { mode: 0o700, uid: 0, gid: 0 }, X_OK)).toBe(false);
  expect(mayAccess(ANN, { mode: 0o711, uid: 0, gid: 0 }, X_OK)).toBe(true);
});

/** A copy of the `good` case (CA, client pair) as a root read by `reader`, for the runtimes given. */
function tree(runtimes: RuntimeId[], reader: RootReader): { root: string; host: string; settings: HostSettings } {
  const root = path.join(dir, "certs.d");
  const host = path.join(root, "myreg:5000");
  mkdirSync(root);
  cpSync(caseHost("good"), host, { recursive: true });
  chmodSync(path.join(host, "client.key"), 0o600);
  const settings: HostSettings = {
    roots: [{ id: "docker-rootless", path: root, realPath: root, exists: true, reader: "test", runtimes }],
    dockerInsecure: { names: [], cidrs: [] },
    dockerMirrors: [],
    podmanRoots: [],
    podmanInsecure: [],
    containerdRoots: [],
    containerdTransferIgnoresList: false,
    containerdShadowed: {},
    podmanShadowed: {},
    escapes: {},
    readers: { [root]: reader },
  };
  return { root, host, settings };
}

function cd612(root: string, settings: HostSettings) {
  const got = lintPaths([root], { runtime: { host: settings } }).findings.filter((f) => f.ruleId === "CD612");
  // Its parts, as test/rules/finding-parts.test.ts checks them for the rules the fixtures trigger.
  for (const f of got) {
    expect(f.headline.length).toBeLessThanOrEqual(HEADLINE_MAX);
    expect(f.headline).toMatch(/^[A-Z].*[^.]$/);
    expect(f.why?.trim()).toBeTruthy();
  }
  return got.map((f) => ({
    file: f.file,
    id: f.messageId,
    severity: f.severity,
    errors: f.runtimeErrors,
    runtimes: f.runtimes,
  }));
}

test("a key only its owner (not the daemon's user) may read: each runtime's open error", () => {
  const { root, host, settings } = tree(["docker", "docker-containerd"], ANN);
  const key = path.join(host, "client.key");
  expect(cd612(root, settings)).toEqual([
    {
      file: "client.key",
      id: "file",
      severity: "error",
      runtimes: ["docker", "docker-containerd"],
      errors: {
        docker: `open ${key}: permission denied`,
        "docker-containerd": `unable to read CERT file "${key}": open ${key}: permission denied`,
      },
    },
  ]);
  chmodSync(key, 0o644);
  expect(cd612(root, settings)).toEqual([]);
});

test("a CA file: containerd's loader wraps the open error with `unable to read CA cert`", () => {
  const { root, host, settings } = tree(["docker-containerd"], ANN);
  chmodSync(path.join(host, "client.key"), 0o644);
  chmodSync(path.join(host, "ca.crt"), 0o600);
  const ca = path.join(host, "ca.crt");
  expect(cd612(root, settings).map((f) => f.errors)).toEqual([
    { "docker-containerd": `unable to read CA cert "${ca}": open ${ca}: permission denied` },
  ]);
});

test("the host directory: classic cannot list it, containerd cannot read hosts.toml in it", () => {
  const { root, host, settings } = tree(["docker", "docker-containerd"], ANN);
  chmodSync(path.join(host, "client.key"), 0o644);
  chmodSync(host, 0o700);
  try {
    expect(cd612(root, settings)).toEqual([
      {
        file: null,
        id: "host-directory",
        severity: "error",
        runtimes: ["docker", "docker-containerd"],
        errors: {
          docker: `open ${host}: permission denied`,
          "docker-containerd": `open ${host}/hosts.toml: permission denied`,
        },
      },
    ]);
  } finally {
    chmodSync(host, 0o755);
  }
});

test("podman skips a directory it cannot list without a word: an error with no program text", () => {
  const { root, host, settings } = tree(["podman"], { ...ANN, daemon: "podman" });
  chmodSync(host, 0o700);
  try {
    expect(cd612(root, settings)).toEqual([
      { file: null, id: "host-directory", severity: "error", runtimes: ["podman"], errors: {} },
    ]);
  } finally {
    chmodSync(host, 0o755);
  }
});

test("a directory on the way to the root the user cannot enter: nothing under it is read", () => {
  const { root, host, settings } = tree(["docker", "docker-containerd"], {
    ...ANN,
    blocked: [{ path: "/home/ann/.config", mode: 0o700, uid: 0, gid: 0 }],
  });
  const got = cd612(root, settings);
  expect(got).toEqual([
    {
      file: null,
      id: "root-blocked",
      severity: "error",
      runtimes: ["docker", "docker-containerd"],
      errors: {
        docker: `open ${host}: permission denied`,
        "docker-containerd": `stat ${root}/myreg_5000_: permission denied`,
      },
    },
  ]);
});

test("without a reader (a root-run daemon, or no host context) there is no finding", () => {
  const { root, settings } = tree(["docker", "docker-containerd"], ANN);
  expect(cd612(root, { ...settings, readers: {} })).toEqual([]);
});

// Under a sysroot the daemon's user is the home's owner: the image's uid, which only root can give a directory.
const asRoot = process.getuid?.() === 0 ? test : test.skip;
asRoot("--sysroot: the home's owner from DIR/etc/passwd and DIR/etc/group reads ~/.config/docker/certs.d", () => {
  const sys = path.join(dir, "sysroot");
  const home = path.join(sys, "home/ann");
  const hostDir = path.join(home, ".config/docker/certs.d/myreg:5000");
  mkdirSync(path.dirname(hostDir), { recursive: true });
  cpSync(caseHost("good"), hostDir, { recursive: true });
  mkdirSync(path.join(sys, "etc"));
  writeFileSync(path.join(sys, "etc/passwd"), "root:x:0:0::/root:/bin/sh\nann:x:4242:4242::/home/ann:/bin/sh\n");
  writeFileSync(path.join(sys, "etc/group"), "root:x:0:\nann:x:4242:\ndocker:x:999:ann\n");
  writeFileSync(path.join(sys, "etc/subuid"), "ann:100000:65536\n");
  chownSync(home, 4242, 4242);
  // Copied in by root: root's key, 0600.
  chmodSync(path.join(hostDir, "client.key"), 0o600);
  const d = discoverHost({ sysroot: sys, docker: dockerEngine("29.1.0"), containerdVersion: "2.2" });
  const realRoot = path.dirname(hostDir);
  expect(d.settings.readers?.[realRoot]).toEqual({
    daemon: "rootless dockerd",
    user: "ann",
    uid: 4242,
    gids: [4242, 999],
    subuids: [[100000, 65536]],
    subgids: [],
    blocked: [],
  });
  const r = cli(["--sysroot", sys, "--now", NOW, "--format", "json"]);
  const f = (
    JSON.parse(r.stdout) as {
      findings: Array<{ ruleId: string; file: string; headline: string; fix: { text: string } }>;
    }
  ).findings;
  // The command is run on the imaged machine: its path, not this one's.
  expect(f.find((x) => x.ruleId === "CD612")?.fix.text).toBe(
    "Give it to ann, who runs rootless dockerd: sudo chown ann /home/ann/.config/docker/certs.d/myreg:5000/client.key " +
      "(keep private keys mode 600)",
  );
  expect(f.filter((x) => x.ruleId === "CD612").map((x) => `${x.file}: ${x.headline}`)).toEqual([
    "client.key: Rootless dockerd runs as ann, who cannot read client.key (mode 600, owner root)",
  ]);

  // ~/.config made root's own and closed: ann cannot reach the root at all.
  chmodSync(path.join(home, ".config"), 0o700);
  const blocked = discoverHost({ sysroot: sys, docker: dockerEngine("29.1.0"), containerdVersion: "2.2" });
  expect(blocked.settings.readers?.[realRoot]?.blocked).toEqual([
    { path: "/home/ann/.config", mode: 0o700, uid: 0, gid: 0 },
  ]);
});

test("a host directory the user may list but not enter: classic fails on the first file it opens", () => {
  const { root, host, settings } = tree(["docker", "docker-containerd", "podman"], ANN);
  chmodSync(path.join(host, "client.key"), 0o644);
  chmodSync(host, 0o744);
  try {
    expect(cd612(root, settings)).toEqual([
      {
        file: null,
        id: "host-directory",
        severity: "error",
        runtimes: ["docker", "docker-containerd", "podman"],
        errors: {
          docker: `open ${host}/ca.crt: permission denied`,
          "docker-containerd": `open ${host}/hosts.toml: permission denied`,
          podman: `open ${host}/ca.crt: permission denied`,
        },
      },
    ]);
  } finally {
    chmodSync(host, 0o755);
  }
});
