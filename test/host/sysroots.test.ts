/**
 * Host context on the fixture sysroots (fixtures/sysroots.ts): `certsd-lint --sysroot fixtures/sysroots/<name>` finds
 * the roots, says who reads each, and gives exactly the expected CD6xx findings.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { cli } from "../helpers/cli.js";
import { NOW, REPO } from "../helpers/fixtures.js";

const SYSROOTS = path.join(REPO, "fixtures", "sysroots");

interface Report {
  findings: Array<{
    ruleId: string;
    severity: string;
    root: string;
    host: string;
    file: string | null;
    headline: string;
  }>;
  context: {
    sysroot: string;
    roots: Array<{ id: string; path: string; exists: boolean; runtimes: string[] }>;
    unread: Array<{ path: string }>;
    dockerImageStore: { store: string };
    containerd: { configPath: string | null; transferServiceIgnoresList: boolean };
    daemonJson: { insecureRegistries: string[]; registryMirrors: string[]; error: string | null } | null;
    addresses: Record<string, string[]>;
  };
  hosts: Array<{ name: string; runtimes: Record<string, { status: string; reason: string | null }> }>;
}

function lint(name: string, flags: string[] = []): { code: number | null; report: Report } {
  const r = cli(["--sysroot", path.join(SYSROOTS, name), "--now", NOW, "--format", "json", ...flags]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report };
}

/** The host-context findings, with roots as the imaged machine sees them. */
function hostFindings(name: string, report: Report): string[] {
  const base = path.join(SYSROOTS, name);
  return report.findings
    .filter((f) => f.ruleId.startsWith("CD6"))
    .map(
      (f) =>
        `${f.ruleId} ${f.severity} ${path.relative(base, f.root)}/${f.host}${f.file ? `/${f.file}` : ""}: ${f.headline}`,
    );
}

const found = (r: Report) => r.context.roots.filter((x) => x.exists).map((x) => `${x.path} ${x.runtimes.join(",")}`);

test("docker-classic: the graphdriver store by daemon.json, and a tree under the misspelt cert.d nobody reads", () => {
  const { code, report } = lint("docker-classic");
  expect(code).toBe(1);
  expect(found(report)).toEqual(["/etc/docker/certs.d docker,docker-containerd,podman"]);
  expect(report.context.unread.map((u) => u.path)).toEqual(["/etc/docker/cert.d"]);
  expect(report.context.dockerImageStore.store).toBe("classic");
  expect(report.context.containerd.configPath).toBeNull();
  expect(hostFindings("docker-classic", report)).toEqual([
    "CD604 error etc/docker/cert.d/other:5000: No runtime on this host reads /etc/docker/cert.d",
  ]);
});

test("docker29-containerd: Docker 29's default containerd store, and nothing wrong with the host", () => {
  const { code, report } = lint("docker29-containerd");
  expect(code).toBe(0);
  expect(report.context.dockerImageStore.store).toBe("containerd");
  expect(hostFindings("docker29-containerd", report)).toEqual([]);
});

test("rootless: ~/.config/docker/certs.d of a user under DIR/home is found and read by dockerd only", () => {
  const { code, report } = lint("rootless");
  expect(code).toBe(0);
  expect(found(report)).toEqual(["/home/ann/.config/docker/certs.d docker,docker-containerd"]);
  expect(hostFindings("rootless", report)).toEqual([]);
});

test("podman-shadowing: the first existing root wins, and an empty winner is an error", () => {
  const { report } = lint("podman-shadowing");
  expect(found(report)).toEqual([
    "/etc/docker/certs.d docker,docker-containerd,podman",
    "/etc/containers/certs.d podman",
    "/root/.config/containers/certs.d podman",
  ]);
  expect(hostFindings("podman-shadowing", report)).toEqual([
    "CD603 warning etc/containers/certs.d/other:5000: podman uses /root/.config/containers/certs.d/other:5000 instead of this directory",
    "CD603 error etc/docker/certs.d/myreg:5000: podman uses the empty /etc/containers/certs.d/myreg:5000 instead of this directory",
  ]);
});

test.each([
  ["containerd-1.7", "1.7"],
  ["containerd-2.0", "2.0"],
])("%s: config_path found in its layout's section, read by containerd, no finding", (name, version) => {
  const { code, report } = lint(name, ["--containerd-version", version]);
  expect(code).toBe(0);
  expect(report.context.containerd.configPath).toBe("/etc/containerd/certs.d");
  expect(found(report)).toEqual(["/etc/containerd/certs.d containerd"]);
  expect(hostFindings(name, report)).toEqual([]);
  expect(report.findings).toEqual([]);
});

test("containerd-2.2: the default list, ignored by transfer-service pulls, and _default hiding /etc/docker/certs.d", () => {
  const { code, report } = lint("containerd-2.2", ["--containerd-version", "2.2"]);
  expect(code).toBe(1);
  expect(report.context.containerd.configPath).toBe("/etc/containerd/certs.d:/etc/docker/certs.d");
  expect(report.context.containerd.transferServiceIgnoresList).toBe(true);
  expect(hostFindings("containerd-2.2", report)).toEqual([
    "CD606 error etc/containerd/certs.d/_default: CRI pulls through the transfer service ignore this directory: config_path is a path list",
    "CD602 warning etc/docker/certs.d/myreg:5000: containerd CRI reads /etc/containerd/certs.d/_default for myreg:5000, never this directory",
    "CD606 error etc/docker/certs.d/myreg:5000: CRI pulls through the transfer service ignore this directory: config_path is a path list",
  ]);
});

test("node-insecure: insecure-registries by name and by CIDR, and a CA linked outside the sysroot", () => {
  const { code, report } = lint("node-insecure");
  expect(code).toBe(1);
  expect(report.context.daemonJson).toEqual({
    path: "/etc/docker/daemon.json",
    error: null,
    insecureRegistries: ["myreg:5000", "10.0.0.0/8"],
    registryMirrors: ["mirror.internal:5000"],
    containerdSnapshotter: null,
  });
  expect(hostFindings("node-insecure", report)).toEqual([
    "CD601 warning etc/docker/certs.d/10.1.2.3:5000: 10.1.2.3:5000 is in insecure-registries (10.0.0.0/8): dockerd never reads this directory",
    "CD605 warning etc/docker/certs.d/linked:5000/ca.crt: ca.crt links to /etc/pki/registry/ca.crt, outside the sysroot",
    "CD601 error etc/docker/certs.d/myreg:5000: myreg:5000 is in insecure-registries (myreg:5000): dockerd never sends this client certificate",
  ]);
  // The link is followed inside the sysroot: its CA loads, nothing outside DIR is read.
  const linked = report.findings.filter((f) => f.host === "linked:5000" && f.ruleId !== "CD605");
  expect(linked.map((f) => f.ruleId)).toEqual([]);
});

test("etc-hosts: names resolved through the sysroot's etc/hosts, as dockerd's insecure-registry gate resolves them", () => {
  const { code, report } = lint("etc-hosts");
  expect(code).toBe(1);
  expect(report.context.addresses).toEqual({
    buildhost: ["127.0.1.1"],
    ip6reg: ["::1"],
    myreg: ["10.1.2.3"],
  });
  const base = path.join(SYSROOTS, "etc-hosts");
  const gate = report.findings
    .filter((f) => ["CD108", "CD601"].includes(f.ruleId))
    .map((f) => `${f.ruleId} ${f.severity} ${path.relative(base, f.root)}/${f.host}: ${f.headline}`);
  expect(gate).toEqual([
    "CD108 error etc/docker/certs.d/buildhost:5000: Loopback registry: dockerd never reads this directory, nor sends its client certificate",
    "CD108 warning etc/docker/certs.d/ip6reg:5000: Loopback registry: dockerd never reads this directory (it treats it as insecure)",
    "CD601 error etc/docker/certs.d/myreg:5000: myreg:5000 resolves into insecure 10.0.0.0/8: dockerd never sends this client certificate",
  ]);
  const docker = (host: string) => report.hosts.find((h) => h.name === host)!.runtimes.docker!;
  expect(docker("buildhost:5000").reason).toBe(
    "buildhost resolves to 127.0.1.1, in 127.0.0.0/8, which dockerd always treats as an insecure registry: " +
      "it skips certs.d for it, adds no CA and sends no client certificate",
  );
  expect(docker("other:5000").status).toBe("ok");
  // Docker 20.10 did not yet treat ::1 as insecure: it reads ip6reg's directory (the oracle's dockerd-ip6 client).
  const old = lint("etc-hosts", ["--docker-version", "20.10"]).report;
  expect(old.hosts.find((h) => h.name === "ip6reg:5000")!.runtimes.docker!.status).toBe("ok");
});

test("snap: the docker snap's root is found through /var/snap/docker/current, and /etc/docker/certs.d is unread", () => {
  const { code, report } = lint("snap");
  expect(code).toBe(1);
  expect(found(report)).toEqual(["/var/snap/docker/current/etc/docker/certs.d docker,docker-containerd"]);
  expect(report.context.unread.map((u) => u.path)).toEqual(["/etc/docker/certs.d"]);
  expect(hostFindings("snap", report)).toEqual([
    "CD604 error etc/docker/certs.d/myreg:5000: No runtime on this host reads /etc/docker/certs.d",
  ]);
});

test("k3s: what the next start deletes and rewrites, and a ca_file registries.yaml names that is missing", () => {
  const { code, report } = lint("k3s");
  expect(code).toBe(1);
  expect(found(report)).toEqual(["/var/lib/rancher/k3s/agent/etc/containerd/certs.d containerd"]);
  const k3s = "var/lib/rancher/k3s/agent/etc/containerd/certs.d";
  expect(hostFindings("k3s", report)).toEqual([
    `CD607 error ${k3s}/docker.io: The ca_file in registries.yaml, /etc/rancher/k3s/certs/mirror-ca.crt, does not exist on this node`,
    `CD607 warning ${k3s}/myreg:5000: The next k3s start deletes client.cert, client.key and rewrites hosts.toml from registries.yaml`,
    `CD607 warning ${k3s}/old.internal:5000: The next k3s start deletes this directory: registries.yaml no longer names old.internal:5000`,
  ]);
  // k3s writes docker.io's server as https://registry-1.docker.io/v2: containerd keeps a /v2 path, so CD509 is silent.
  expect(report.findings.filter((f) => f.ruleId === "CD509")).toEqual([]);
  const fixes = report.findings
    .filter((f) => f.ruleId === "CD607")
    .map((f) => (f as { fix?: { text: string } }).fix?.text);
  expect(fixes[1]).toBe(
    "Move client.cert and client.key to /etc/rancher/k3s/certs/myreg:5000/, then add to /etc/rancher/k3s/registries.yaml " +
      '(merging with what it has): configs: {"myreg:5000": {tls: {ca_file: "/etc/rancher/k3s/certs/myreg-ca.crt", ' +
      'cert_file: "/etc/rancher/k3s/certs/myreg:5000/client.cert", key_file: "/etc/rancher/k3s/certs/myreg:5000/client.key"}}}; ' +
      "then systemctl restart k3s (k3s-agent on an agent)",
  );
  const ctx = (report.context as unknown as { registriesYaml: Array<Record<string, unknown>> }).registriesYaml;
  expect(ctx.map((r) => [r.distro, r.present, r.error])).toEqual([["k3s", true, null]]);
  const generated = ctx[0]!.generated as Array<{ dir: string; endpoints: Array<{ url: string; ca: string | null }> }>;
  expect(generated.map((g) => [g.dir, g.endpoints.map((e) => `${e.url} ${e.ca ?? "-"}`)])).toEqual([
    [
      "docker.io",
      ["https://registry-1.docker.io/v2 -", "https://mirror.internal:5000/v2 /etc/rancher/k3s/certs/mirror-ca.crt"],
    ],
    ["mirror.internal:5000", ["https://mirror.internal:5000/v2 /etc/rancher/k3s/certs/mirror-ca.crt"]],
    ["myreg:5000", ["https://myreg:5000/v2 /etc/rancher/k3s/certs/myreg-ca.crt"]],
  ]);
  expect((ctx[0]!.nextStart as Array<{ dir: string; fate: string }>).map((n) => `${n.dir} ${n.fate}`)).toEqual([
    "myreg:5000 replaced",
    "old.internal:5000 removed",
  ]);
});

test("rke2 without registries.yaml: the generated directory goes at the next start, the hand-made one stays", () => {
  const { code, report } = lint("rke2");
  expect(code).toBe(0);
  expect(hostFindings("rke2", report)).toEqual([
    "CD607 warning var/lib/rancher/rke2/agent/etc/containerd/certs.d/myreg:5000: The next RKE2 start deletes this directory: there is no /etc/rancher/rke2/registries.yaml",
  ]);
  const f = report.findings.find((x) => x.ruleId === "CD607") as unknown as { fix: { text: string } };
  expect(f.fix.text).toBe(
    'Create /etc/rancher/rke2/registries.yaml with: configs: {"myreg:5000": {tls: {insecure_skip_verify: true}}}; ' +
      "then systemctl restart rke2-server (rke2-agent on an agent)",
  );
});

test("a sysroot with no certs root: exit 2 with the list of roots looked for, not ENOENT", () => {
  const r = cli([
    "--sysroot",
    path.join(REPO, "fixtures", "sysroots", "rootless", "home", "ann", ".config", "docker", "certs.d", "myreg:5000"),
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^certsd-lint: no certs root found in .*; looked for: \/etc\/docker\/certs\.d, /);
  expect(r.stderr).toContain("/var/snap/microk8s/current/args/certs.d");
});

test("stylish prints the context block before the host directories", () => {
  const r = cli(["--sysroot", path.join(SYSROOTS, "docker-classic"), "--now", NOW, "--no-color"]);
  const lines = r.stdout.split("\n");
  expect(lines[0]).toMatch(/^Host context \(sysroot .*docker-classic\)$/);
  expect(lines[1]).toMatch(/^ {2}found {3}\/etc\/docker\/certs\.d {2}docker, docker-containerd, podman: /);
  expect(lines[2]).toMatch(/^ {2}unread {2}\/etc\/docker\/cert\.d /);
  expect(r.stdout).toContain("looked for, absent: ~/.config/docker/certs.d");
});

test("the JSON report with a context section validates against schema/report.v1.schema.json", () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));
  for (const name of [
    "node-insecure",
    "containerd-2.2",
    "podman-shadowing",
    "docker-classic",
    "k3s",
    "rke2",
    "etc-hosts",
  ]) {
    const { report } = lint(name);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  }
});

test("the README's troubleshooting example is what the command prints (lines cut at … compared up to it)", () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Troubleshooting"));
  const block = /```console\n\$ certsd-lint (.*)\n([\s\S]*?)```/.exec(section)!;
  const r = cli([...block[1]!.split(" "), "--no-color", "--now", NOW]);
  const printed = r.stdout.split(`${REPO}/`).join("").split("\n");
  for (const line of block[2]!.trimEnd().split("\n")) {
    if (line === "  …") continue;
    const prefix = line.endsWith("…") ? line.slice(0, -1) : line;
    expect(printed.some((p) => (line.endsWith("…") ? p.startsWith(prefix) : p === line))).toBe(true);
  }
});
