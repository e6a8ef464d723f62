/**
 * The real dockerd 20.10 of ../shared/oracle against the insecure-registry gate on resolved names: a registry name
 * that the machine's /etc/hosts maps to 127.0.0.1 is treated as insecure (moby isSecureIndex resolves it), so its
 * certs.d directory is never read and no client certificate is sent; a name that maps to ::1 is read (::1 became
 * insecure only in v28). certsd-lint --sysroot, given the same etc/hosts, predicts both.
 *
 * The oracle's namespace reads /etc/hosts from $ORACLE_STATE/hosts: the test adds its v4 name there for the run (the
 * same file, so the bind mount sees it) and puts the file back as it was.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cli } from "../helpers/cli.js";
import { REPO } from "../helpers/fixtures.js";

const ORACLE = path.resolve(REPO, "..", "shared", "oracle");
const STATE = process.env.ORACLE_STATE ?? "/tmp/certs-oracle";
const LOCK = process.env.ORACLE_LOCK ?? "/tmp/oracle.lock";
const FLOCK = spawnSync("flock", ["--version"]).status === 0 ? ["flock", LOCK] : [];
const PORT = 5443;
const V4NAME = "v4.oracle.test";
const V6NAME = "ip6.oracle.test";
const HOSTS = path.join(STATE, "hosts");
const CASE = path.join(STATE, "cases", "a-correct");

function unavailable(): string | null {
  const pidFile = path.join(STATE, "pids", "registry-main-v4.pid");
  if (!existsSync(pidFile)) return `the oracle is not running (run ${ORACLE}/setup.sh; .ci/run does it)`;
  const status = existsSync(path.join(STATE, "dockerd-status.txt"))
    ? readFileSync(path.join(STATE, "dockerd-status.txt"), "utf8")
    : "";
  if (!status.startsWith("ok")) return `the oracle's dockerd is not running (${status.trim() || "no status"})`;
  if (!existsSync(HOSTS) || !existsSync(CASE)) return `${HOSTS} or ${CASE} not found`;
  return null;
}

interface ClientRun {
  client: string;
  ref: string;
  exit: number | null;
  stderr: string;
  files_seen: string[];
  server_tls_errors: string[];
}

/** One run-case.sh call with the dockerd client for `name:PORT`, as root, under the oracle's lock. */
function dockerdPull(dir: string, name: string, id: string): ClientRun {
  const run = [...FLOCK, "env", `ORACLE_V6NAME=${name}`, path.join(ORACLE, "run-case.sh"), "--case", id];
  const args = [...run, "--clients", "dockerd-ip6", dir];
  const [cmd, ...rest] = process.getuid?.() === 0 ? args : ["sudo", "-n", "env", `ORACLE_STATE=${STATE}`, ...args];
  const out = execFileSync(cmd!, rest, { env: { ...process.env, ORACLE_STATE: STATE }, timeout: 120_000 });
  return JSON.parse(out.toString().trim().split("\n")[0]!) as ClientRun;
}

const reason = unavailable();
if (reason) console.log(`oracle: ${reason}; the resolved-name comparisons skipped`);

(reason ? describe.skip : describe)(
  "dockerd 20.10 resolves the registry name before its insecure-registry gate",
  () => {
    let tmp = "";
    let hostsBefore = "";
    beforeAll(() => {
      tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-resolved-"));
      hostsBefore = readFileSync(HOSTS, "utf8");
      if (!hostsBefore.split("\n").some((l) => l.split(/\s+/).includes(V4NAME)))
        writeFileSync(HOSTS, `${hostsBefore.replace(/\n?$/, "\n")}127.0.0.1 ${V4NAME}\n`);
    });
    afterAll(() => {
      if (hostsBefore) writeFileSync(HOSTS, hostsBefore);
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    test("a name in /etc/hosts as 127.0.0.1: never read, no client certificate; a name as ::1: read", () => {
      // The prediction: the oracle's own etc/hosts in a sysroot, the same host directory under both names.
      const sysroot = path.join(tmp, "sysroot");
      mkdirSync(path.join(sysroot, "etc", "docker", "certs.d"), { recursive: true });
      writeFileSync(path.join(sysroot, "etc", "hosts"), readFileSync(HOSTS));
      for (const name of [V4NAME, V6NAME])
        cpSync(CASE, path.join(sysroot, "etc", "docker", "certs.d", `${name}:${PORT}`), { recursive: true });
      const r = cli(["--sysroot", sysroot, "--docker-version", "20.10", "--runtime", "docker", "--format", "json"]);
      const report = JSON.parse(r.stdout) as {
        hosts: Array<{ name: string; runtimes: { docker: { status: string; clientPairs: unknown[] } } }>;
        findings: Array<{ ruleId: string; host: string; severity: string }>;
        context: { addresses: Record<string, string[]> };
      };
      expect(report.context.addresses[V4NAME]).toEqual(["127.0.0.1"]);
      const predicted = (name: string) => report.hosts.find((h) => h.name === `${name}:${PORT}`)!.runtimes.docker;
      expect(predicted(V4NAME).status).toBe("not-read");
      expect(report.findings.filter((f) => f.ruleId === "CD108").map((f) => [f.host, f.severity])).toEqual([
        [`${V4NAME}:${PORT}`, "error"],
      ]);
      expect(predicted(V6NAME)).toMatchObject({ status: "ok", clientPairs: [["client.cert", "client.key"]] });

      // The real dockerd, once under each name.
      const v4 = dockerdPull(CASE, V4NAME, "resolved-v4");
      expect(v4.ref).toBe(`${V4NAME}:${PORT}/oracle/test:latest`);
      expect(v4.files_seen).toEqual([]);
      expect(v4.server_tls_errors.join("\n")).toContain("tls: client didn't provide a certificate");
      expect(v4.exit).not.toBe(0);
      const v6 = dockerdPull(CASE, V6NAME, "resolved-v6");
      expect(v6.files_seen.length).toBeGreaterThan(0);
      expect(v6.exit).toBe(0);
    }, 300_000);
  },
);
