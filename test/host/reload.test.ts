/**
 * Reload semantics on a live host (CD610): a real process named like the daemon, read from the real /proc, and
 * configuration files whose modification times are set before and after its start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HEADLINE_MAX } from "../../src/engine/rule.js";
import { discoverHost } from "../../src/host/discover.js";
import { dockerEngine } from "../../src/runtimes/docker-engine.js";
import { type DaemonProcess, findDaemons, readProcess, startTicks } from "../../src/host/processes.js";
import { restartsNeeded } from "../../src/host/reload.js";
import type { HostSettings, RestartNeeded } from "../../src/runtimes/roots.js";
import type { RuntimeId } from "../../src/runtimes/types.js";
import { lintPaths } from "../helpers/rule-tester.js";
import { caseHost } from "../helpers/fixtures.js";

let dir: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "certsd-reload-"));
});

afterAll(() => {
  // Only the processes this test started, by their pid.
  for (const c of started) if (c.exitCode === null && c.pid !== undefined) process.kill(c.pid, "SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

/** /bin/sleep copied under the daemon's name and run; resolves once /proc shows it under that name. */
async function fakeDaemon(name: string): Promise<DaemonProcess> {
  const bin = path.join(dir, `bin-${started.length}`, name);
  mkdirSync(path.dirname(bin), { recursive: true });
  copyFileSync("/bin/sleep", bin);
  const child = spawn(bin, ["300"], { stdio: "ignore" });
  started.push(child);
  for (let i = 0; i < 200; i++) {
    const p = child.pid === undefined ? null : readProcess(child.pid);
    if (p) return p;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} did not start`);
}

/** A certs root holding one host directory with a CA, and the host context naming it for the runtimes given. */
function certsRoot(
  name: string,
  runtimes: RuntimeId[],
  restarts: RestartNeeded[],
): { root: string; host: HostSettings } {
  const root = path.join(dir, name, "certs.d");
  mkdirSync(path.join(root, "myreg:5000"), { recursive: true });
  copyFileSync(path.join(caseHost("good-ca-only"), "ca.crt"), path.join(root, "myreg:5000", "ca.crt"));
  const host: HostSettings = {
    roots: [{ id: name, path: root, realPath: root, exists: true, reader: "test", runtimes }],
    dockerInsecure: { names: [], cidrs: [] },
    dockerMirrors: [],
    podmanRoots: [],
    podmanInsecure: [],
    containerdRoots: runtimes.includes("containerd") ? [root] : [],
    containerdTransferIgnoresList: false,
    containerdShadowed: {},
    podmanShadowed: {},
    escapes: {},
    restarts,
  };
  return { root, host };
}

const at = (p: DaemonProcess, seconds: number) => new Date(p.startedAt.getTime() + seconds * 1000);

test("/proc/PID/stat's field 22 is read after the parenthesised command, whatever the command holds", () => {
  const rest = Array.from({ length: 50 }, (_, i) => String(i + 3)).join(" ");
  expect(startTicks(`123 (a) b (c) ${rest}`)).toBe(22);
});

test("a proc(5) tree of one's own: k3s and containerd -c by name, start = btime + starttime / 100", () => {
  const proc = path.join(dir, "proc");
  const fields = (pid: number, comm: string, ticks: number) =>
    `${pid} (${comm}) S ${Array.from({ length: 40 }, (_, i) => (i + 4 === 22 ? String(ticks) : "0")).join(" ")}\n`;
  const put = (pid: number, comm: string, argv: string[], uid: number, ticks: number) => {
    mkdirSync(path.join(proc, String(pid)), { recursive: true });
    writeFileSync(path.join(proc, String(pid), "comm"), `${comm}\n`);
    writeFileSync(path.join(proc, String(pid), "cmdline"), `${argv.join("\0")}\0`);
    writeFileSync(path.join(proc, String(pid), "stat"), fields(pid, comm, ticks));
    writeFileSync(path.join(proc, String(pid), "status"), `Name:\t${comm}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`);
  };
  mkdirSync(proc, { recursive: true });
  writeFileSync(path.join(proc, "stat"), "cpu  1 2 3\nbtime 1764800000\nprocesses 9\n");
  put(7, "k3s-server", ["/usr/local/bin/k3s", "server"], 0, 250);
  put(8, "containerd", ["containerd", "-c", "/var/lib/rancher/k3s/agent/etc/containerd/config.toml"], 0, 300);
  put(9, "containerd", ["/usr/bin/containerd", "--config=/etc/containerd/config.toml"], 0, 301);
  put(10, "bash", ["bash"], 1000, 5);
  put(11, "dockerd", ["/usr/bin/dockerd", "--config-file", "/etc/docker/alt.json"], 0, 12345);
  expect(findDaemons({ procRoot: proc }).map((p) => [p.pid, p.kind, p.configFile, p.startedAt.toISOString()])).toEqual([
    [7, "k3s", null, new Date(1764800000 * 1000 + 2500).toISOString()],
    [8, "containerd", "/var/lib/rancher/k3s/agent/etc/containerd/config.toml", new Date(1764800003000).toISOString()],
    [9, "containerd", "/etc/containerd/config.toml", new Date(1764800003010).toISOString()],
    [11, "dockerd", "/etc/docker/alt.json", new Date(1764800000 * 1000 + 123450).toISOString()],
  ]);
});

test("a process named containerd is found in /proc with its owner and a start time from btime and field 22", async () => {
  const before = statSync(dir).mtime.getTime();
  const p = await fakeDaemon("containerd");
  expect(p.kind).toBe("containerd");
  expect(p.uid).toBe(process.getuid!());
  expect(p.configFile).toBeNull();
  // btime is whole seconds: the start may read up to a second early, never later than now.
  expect(p.startedAt.getTime()).toBeGreaterThanOrEqual(before - 2000);
  expect(findDaemons().map((d) => d.pid)).toContain(p.pid);
});

test("CD610: config.toml changed after containerd started → restart containerd; changed before → nothing", async () => {
  const p = await fakeDaemon("containerd");
  const config = path.join(dir, "config.toml");
  writeFileSync(config, 'version = 3\n[plugins."io.containerd.cri.v1.images".registry]\n  config_path = "x"\n');
  const input = (roots: string[]) => ({
    daemons: [p],
    containerd: { file: config, roots },
    dockerd: null,
    desktop: [],
  });

  utimesSync(config, at(p, -60), at(p, -60));
  expect(restartsNeeded(input(["r"]))).toEqual([]);

  utimesSync(config, at(p, 60), at(p, 60));
  const after = restartsNeeded(input(["r"]));
  expect(after).toEqual([
    {
      daemon: "containerd",
      pid: p.pid,
      startedAt: p.startedAt.toISOString(),
      file: config,
      changedAt: at(p, 60).toISOString(),
      roots: ["r"],
      action: "restart",
    },
  ]);

  const { root, host } = certsRoot("containerd", ["containerd"], []);
  const findings = (restarts: RestartNeeded[]) =>
    lintPaths([root], { runtime: { host: { ...host, restarts } } }).findings.filter((f) => f.ruleId === "CD610");
  const got = findings(restartsNeeded(input([root])));
  expect(got.map((f) => [f.severity, f.host, f.messageId, f.runtimes])).toEqual([
    ["warning", "myreg:5000", "containerd-config", ["containerd"]],
  ]);
  expect(got[0]!.headline).toBe(`containerd started before ${config} changed: restart it`);
  expect(got[0]!.headline.length).toBeLessThanOrEqual(HEADLINE_MAX);
  expect(got[0]!.why).toContain("hosts.toml and the certificate files need no restart");

  // The certificate files and hosts.toml are read on every pull: changing them after the start is no finding.
  utimesSync(config, at(p, -60), at(p, -60));
  utimesSync(path.join(root, "myreg:5000", "ca.crt"), at(p, 60), at(p, 60));
  expect(findings(restartsNeeded(input([root])))).toEqual([]);
});

test("CD610: a containerd started with -c <another config> is not judged by this config.toml", async () => {
  const p = await fakeDaemon("containerd");
  const config = path.join(dir, "config-c.toml");
  writeFileSync(config, "version = 3\n");
  utimesSync(config, at(p, 60), at(p, 60));
  const other = { ...p, configFile: "/var/lib/rancher/k3s/agent/etc/containerd/config.toml" };
  const input = { daemons: [other], containerd: { file: config, roots: [] }, dockerd: null, desktop: [] };
  expect(restartsNeeded(input)).toEqual([]);
});

test("CD610: daemon.json changed after a root dockerd started → reload (SIGHUP), or restart for the image store", async () => {
  const p = { ...(await fakeDaemon("dockerd")), uid: 0 };
  expect(p.kind).toBe("dockerd");
  const json = path.join(dir, "daemon.json");
  writeFileSync(json, '{ "insecure-registries": ["myreg:5000"] }\n');
  utimesSync(json, at(p, 60), at(p, 60));
  const input = (imageStoreKey: boolean, uid = 0) => ({
    daemons: [{ ...p, uid }],
    containerd: null,
    dockerd: { file: json, roots: ["r"], imageStoreKey },
    desktop: [],
  });
  expect(restartsNeeded(input(false)).map((r) => r.action)).toEqual(["reload"]);
  expect(restartsNeeded(input(true)).map((r) => r.action)).toEqual(["restart"]);
  // A rootless dockerd reads its own daemon.json (~/.config/docker/daemon.json), not this one.
  expect(restartsNeeded(input(false, 1000))).toEqual([]);
  utimesSync(json, at(p, -60), at(p, -60));
  expect(restartsNeeded(input(false))).toEqual([]);

  utimesSync(json, at(p, 60), at(p, 60));
  const { root, host } = certsRoot("docker", ["docker", "docker-containerd"], []);
  const got = lintPaths([root], {
    runtime: {
      host: {
        ...host,
        restarts: restartsNeeded({ ...input(false), dockerd: { ...input(false).dockerd, roots: [root] } }),
      },
    },
  }).findings.filter((f) => f.ruleId === "CD610");
  expect(got.map((f) => [f.severity, f.messageId, f.runtimes, f.fix?.text])).toEqual([
    [
      "info",
      "daemon-json-reload",
      ["docker", "docker-containerd"],
      "Reload dockerd (systemctl reload docker) so that insecure-registries and registry-mirrors apply",
    ],
  ]);
});

test("CD610: Docker Desktop started before a host directory under ~/.docker/certs.d changed → restart Desktop", async () => {
  const p = await fakeDaemon("com.docker.backend");
  expect(p.kind).toBe("docker-desktop");
  const { root, host } = certsRoot("desktop", ["docker", "docker-containerd"], []);
  mkdirSync(path.join(root, "other:5000"));
  for (const d of ["myreg:5000", "other:5000"]) utimesSync(path.join(root, d), at(p, -60), at(p, -60));
  utimesSync(path.join(root, "myreg:5000", "ca.crt"), at(p, -60), at(p, -60));
  const input = { daemons: [p], containerd: null, dockerd: null, desktop: [{ root, uid: p.uid }] };
  expect(restartsNeeded(input)).toEqual([]);

  utimesSync(path.join(root, "myreg:5000", "ca.crt"), at(p, 30), at(p, 30));
  const r = restartsNeeded(input);
  expect(r.map((x) => [x.daemon, x.hosts, x.changedAt])).toEqual([
    ["docker-desktop", ["myreg:5000"], at(p, 30).toISOString()],
  ]);
  // Another user's Desktop copies another home.
  expect(restartsNeeded({ ...input, desktop: [{ root, uid: p.uid + 1 }] })).toEqual([]);

  const got = lintPaths([root], { runtime: { host: { ...host, restarts: r } } }).findings.filter(
    (f) => f.ruleId === "CD610",
  );
  expect(got.map((f) => [f.severity, f.host, f.messageId])).toEqual([["info", "myreg:5000", "docker-desktop"]]);
});

test("host discovery on this machine passes its /proc on: Docker Desktop's root edited since the backend started", () => {
  const proc = path.join(dir, "proc-desktop");
  const home = path.join(dir, "home-desktop");
  mkdirSync(path.join(home, ".docker/certs.d/myreg:5000"), { recursive: true });
  mkdirSync(path.join(proc, "77"), { recursive: true });
  // Booted in 2001 and started at boot: everything written today is later.
  writeFileSync(path.join(proc, "stat"), "btime 1000000000\n");
  writeFileSync(path.join(proc, "77", "comm"), "com.docker.back\n");
  writeFileSync(path.join(proc, "77", "cmdline"), "/opt/docker-desktop/bin/com.docker.backend\0");
  writeFileSync(path.join(proc, "77", "stat"), `77 (com.docker.back) S ${Array(40).fill("0").join(" ")}\n`);
  const uid = statSync(home).uid;
  writeFileSync(path.join(proc, "77", "status"), `Uid:\t${uid}\t${uid}\t${uid}\t${uid}\n`);
  const d = discoverHost({
    sysroot: null,
    env: { HOME: home },
    home,
    docker: dockerEngine("29"),
    containerdVersion: "2.2",
    procRoot: proc,
  });
  expect(d.settings.restarts?.map((r) => [r.daemon, r.pid, r.file, r.hosts])).toEqual([
    ["docker-desktop", 77, path.join(home, ".docker/certs.d"), ["myreg:5000"]],
  ]);
  // Under a sysroot there are no processes to compare with.
  expect(
    discoverHost({ sysroot: home, docker: dockerEngine("29"), containerdVersion: "2.2", procRoot: proc }).settings
      .restarts,
  ).toBeUndefined();
});

test("CD610: the system CA bundle changed after dockerd started, for a directory with no CA of its own", async () => {
  const p = { ...(await fakeDaemon("dockerd")), uid: 0 };
  const bundle = path.join(dir, "ca-certificates.crt");
  copyFileSync(path.join(caseHost("good-ca-only"), "ca.crt"), bundle);
  utimesSync(bundle, at(p, 120), at(p, 120));
  const { root, host } = certsRoot("system-store", ["docker", "docker-containerd"], []);
  // A second host directory with only a client pair: verified against the system CAs alone.
  cpSync(caseHost("good"), path.join(root, "pair:5000"), { recursive: true });
  rmSync(path.join(root, "pair:5000", "ca.crt"));
  chmodSync(path.join(root, "pair:5000", "client.key"), 0o600);
  const input = {
    daemons: [p],
    containerd: null,
    dockerd: { file: path.join(dir, "no-daemon.json"), roots: [root], imageStoreKey: false },
    desktop: [],
    systemStore: bundle,
  };
  const restarts = restartsNeeded(input);
  expect(restarts.map((r) => [r.daemon, r.what, r.file])).toEqual([["dockerd", "system-store", bundle]]);
  const got = lintPaths([root], { runtime: { host: { ...host, restarts } } }).findings.filter(
    (f) => f.ruleId === "CD610",
  );
  // myreg:5000 has its own ca.crt: its verification does not depend on the system CAs.
  expect(got.map((f) => [f.host, f.severity, f.messageId, f.runtimes])).toEqual([
    ["pair:5000", "info", "system-store", ["docker", "docker-containerd"]],
  ]);
  expect(got[0]!.why).toContain("(systemctl reload docker does not reload it).");
  utimesSync(bundle, at(p, -120), at(p, -120));
  expect(restartsNeeded(input)).toEqual([]);
});
