/**
 * CD611 on the fixture sysroot `mirrors` (fixtures/sysroots.ts): each runtime family's own idea of where a
 * registry mirror's certificates are (loader-semantics §3.3, §4, §9.3, §11 item 32).
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cli } from "../helpers/cli.js";
import { NOW, REPO } from "../helpers/fixtures.js";

const SYSROOT = path.join(REPO, "fixtures", "sysroots", "mirrors");

interface Finding {
  ruleId: string;
  severity: string;
  root: string;
  host: string;
  file: string | null;
  headline: string;
  why: string;
  messageId?: string;
  runtimes: string[];
  runtimeErrors: Record<string, string>;
}

function findings(): Finding[] {
  const r = cli(["--sysroot", SYSROOT, "--containerd-version", "2.0", "--now", NOW, "--format", "json"]);
  expect(r.code).toBe(1);
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
}

test("mirrors: classic fails Hub pulls on a broken mirror directory; the containerd families never read one", () => {
  const all = findings();
  const cd611 = all
    .filter((f) => f.ruleId === "CD611")
    .map(
      (f) =>
        `${f.severity} ${path.relative(SYSROOT, f.root)}/${f.host}${f.file ? `/${f.file}` : ""} ${f.messageId} ${f.runtimes.join(",")}`,
    );
  expect(cd611).toEqual([
    "warning etc/containerd/certs.d/docker.io/hosts.toml hosts-toml-mirror containerd",
    "error etc/docker/certs.d/broken-mirror:5000 classic-mirror-fails docker",
    "warning etc/docker/certs.d/broken-mirror:5000 containerd-store-mirror docker-containerd",
    "warning etc/docker/certs.d/mirror.internal:5000 containerd-store-mirror docker-containerd",
  ]);
  const broken = all.find((f) => f.messageId === "classic-mirror-fails")!;
  // The mirror's own error, as `docker pull` of any Hub image prints it; CD101 keeps the runtime error itself.
  expect(broken.why).toContain(
    '"Error response from daemon: missing key client.key for client certificate client.cert. CA certificates must use the extension .crt"',
  );
  expect(broken.runtimeErrors).toEqual({});
  expect(all.find((f) => f.ruleId === "CD101" && f.host === "broken-mirror:5000")?.runtimeErrors.docker).toBe(
    "missing key client.key for client certificate client.cert. CA certificates must use the extension .crt",
  );
  const toml = all.find((f) => f.messageId === "hosts-toml-mirror")!;
  expect(toml.headline).toBe(
    "Mirror mirror.internal:5000 takes TLS only from its [host] table, never from ../mirror.internal:5000",
  );
  expect(toml.why).toContain("and this table names none");
});

test("mirrors: with certs.d/docker.io beside them, the containerd store's mirrors have certificates to use", () => {
  const copy = mkdtempSync(path.join(tmpdir(), "certsd-mirrors-"));
  try {
    cpSync(SYSROOT, copy, { recursive: true });
    const hub = path.join(copy, "etc/docker/certs.d/docker.io");
    mkdirSync(hub);
    copyFileSync(path.join(SYSROOT, "etc/docker/certs.d/mirror.internal:5000/ca.crt"), path.join(hub, "ca.crt"));
    const r = cli(["--sysroot", copy, "--containerd-version", "2.0", "--now", NOW, "--format", "json"]);
    const f = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((x) => x.ruleId === "CD611");
    expect(f.map((x) => `${x.host} ${x.messageId}`)).toEqual([
      "docker.io hosts-toml-mirror",
      "broken-mirror:5000 classic-mirror-fails",
    ]);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
