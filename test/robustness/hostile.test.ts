/**
 * Hostile trees: every kind of entry a machine can hold, built for real, linted by the real CLI. Each must give
 * findings and a defined exit status (0 or 1 here: none of these is a usage problem), a report that validates, no
 * stack trace and no hang. What the machine forbids is skipped with the reason.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { CASES, CLI, NOW, REPO } from "../helpers/fixtures.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-hostile-"));
chmodSync(tmp, 0o755); // readable by the unprivileged user some cases run as
afterAll(() => {
  spawnSync("chmod", ["-R", "u+rwX", tmp]);
  rmSync(tmp, { recursive: true, force: true });
});

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));
const GOOD = path.join(CASES, "good", "registry.example.com:5000");
const skipped: string[] = [];
afterAll(() => {
  if (skipped.length) console.warn(`hostile entries skipped on this machine: ${skipped.join("; ")}`);
});

let n = 0;
/** A certs root with one host directory, built by `make(hostDir)`. */
function tree(make: (host: string, root: string) => void, hostName = "registry.example.com:5000"): string {
  const root = path.join(tmp, `t${n++}`, "certs.d");
  const host = path.join(root, hostName);
  mkdirSync(host, { recursive: true });
  make(host, root);
  return root;
}

function lint(root: string, opts: { uid?: number; timeout?: number } = {}) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, "--now", NOW, "--format", "json", root], {
    encoding: "utf8",
    timeout: opts.timeout ?? 60_000,
    maxBuffer: 512 * 1024 * 1024,
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/** The common verdict: a defined exit, a valid report, no trace, no fatal finding. */
function expectSane(r: ReturnType<typeof lint>) {
  expect(r.signal).toBeNull(); // not killed by the timeout
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect([0, 1]).toContain(r.code);
  const report = JSON.parse(r.stdout) as {
    summary: { fatal: number };
    findings: Array<{ ruleId: string; file: string | null; message: string; host: string }>;
    hosts: Array<{ name: string }>;
  };
  expect([validate(report), validate.errors]).toEqual([true, null]);
  expect(report.summary.fatal).toBe(0);
  return report;
}

const rand = (size: number, seed: number) => {
  // Deterministic "random" bytes: a linear congruential generator, so a failure replays.
  const b = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
};

test("random bytes in every file type", () => {
  const root = tree((h) => {
    for (const [i, name] of [
      "ca.crt",
      "client.cert",
      "client.key",
      "hosts.toml",
      "extra.pem",
      "x.crt",
      "y.cert",
      "y.key",
    ].entries())
      writeFileSync(path.join(h, name), rand(64 + i * 997, i + 1));
  });
  const report = expectSane(lint(root));
  expect(report.findings.length).toBeGreaterThan(0);
});

test("truncated and bit-flipped PEM and DER, and 0-byte files", () => {
  const ca = readFileSync(path.join(GOOD, "ca.crt"));
  const der = Buffer.from(
    ca
      .toString("latin1")
      .replace(/-----[^-]+-----/g, "")
      .replace(/\s+/g, ""),
    "base64",
  );
  const key = readFileSync(path.join(GOOD, "client.key"));
  const root = tree((h) => {
    for (const cut of [1, 27, 64, 65, ca.length - 30, ca.length - 1])
      writeFileSync(path.join(h, `pem-cut-${cut}.crt`), ca.subarray(0, cut));
    for (const cut of [1, 4, 100, der.length - 1])
      writeFileSync(path.join(h, `der-cut-${cut}.crt`), der.subarray(0, cut));
    for (const bit of [0, 9, 8 * 40 + 3, 8 * 300 + 5, 8 * (der.length - 2)]) {
      const flipped = Buffer.from(der);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      writeFileSync(path.join(h, `der-flip-${bit}.crt`), flipped);
      const pem = Buffer.from(ca);
      pem[(bit >> 3) % pem.length]! ^= 1 << (bit & 7);
      writeFileSync(path.join(h, `pem-flip-${bit}.crt`), pem);
    }
    writeFileSync(path.join(h, "client.cert"), readFileSync(path.join(GOOD, "client.cert")).subarray(0, 500));
    writeFileSync(path.join(h, "client.key"), key.subarray(0, key.length - 70));
    writeFileSync(path.join(h, "empty.crt"), "");
    writeFileSync(path.join(h, "empty.cert"), "");
    writeFileSync(path.join(h, "empty.key"), "");
  });
  expectSane(lint(root));
});

test("a 2 GB sparse file is judged by its size, not read", () => {
  const root = tree((h) => {
    cpSync(path.join(GOOD, "ca.crt"), path.join(h, "ca.crt"));
    execFileSync("truncate", ["-s", "2G", path.join(h, "huge.crt")]);
  });
  const r = lint(root);
  const report = expectSane(r);
  expect(report.findings.some((f) => f.file === "huge.crt")).toBe(true);
  expect(r.ms).toBeLessThan(20_000);
});

test("a FIFO named ca.crt is never opened (the run would hang), nor a socket, nor device nodes", () => {
  const root = tree((h) => {
    execFileSync("mkfifo", [path.join(h, "ca.crt")]);
    execFileSync("mkfifo", [path.join(h, "client.key")]);
    cpSync(path.join(GOOD, "client.cert"), path.join(h, "client.cert"));
    // A Unix socket: bound by a short-lived Python process, the file stays.
    const s = spawnSync("python3", [
      "-c",
      "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
      path.join(h, "sock.crt"),
    ]);
    if (s.status !== 0) skipped.push("Unix socket (no python3)");
    for (const [name, major, minor, kind] of [
      ["null.crt", "1", "3", "c"],
      ["zero.cert", "1", "5", "c"],
      ["loop.key", "7", "0", "b"],
    ] as const) {
      const m = spawnSync("mknod", [path.join(h, name), kind, major, minor]);
      if (m.status !== 0) skipped.push(`device node ${name} (${m.stderr.toString().trim() || "mknod refused"})`);
    }
    // Symlinks to devices that would never end or block when read.
    symlinkSync("/dev/zero", path.join(h, "zero.crt"));
    symlinkSync("/dev/urandom", path.join(h, "urandom.crt"));
  });
  const r = lint(root, { timeout: 30_000 });
  const report = expectSane(r);
  expect(report.findings.map((f) => f.file)).toEqual(expect.arrayContaining(["ca.crt", "zero.crt"]));
});

test("symlink loops and chains, and links out of the root", () => {
  const outside = path.join(tmp, `outside-${n}`);
  mkdirSync(outside);
  cpSync(path.join(GOOD, "ca.crt"), path.join(outside, "corp-ca.pem"));
  const root = tree((h, r) => {
    symlinkSync("self.crt", path.join(h, "self.crt"));
    symlinkSync("b.crt", path.join(h, "a.crt"));
    symlinkSync("a.crt", path.join(h, "b.crt"));
    // A chain of 45 links ending at a real CA (Linux follows at most 40: the end is unreachable) and one of 10.
    for (let i = 0; i < 45; i++)
      symlinkSync(i === 44 ? path.join(outside, "corp-ca.pem") : `chain${i + 1}.lnk`, path.join(h, `chain${i}.lnk`));
    symlinkSync("chain0.lnk", path.join(h, "long-chain.crt"));
    symlinkSync("chain35.lnk", path.join(h, "short-chain.crt"));
    symlinkSync(path.join(outside, "corp-ca.pem"), path.join(h, "outside.crt"));
    symlinkSync("/etc/passwd", path.join(h, "passwd.crt"));
    // Directory loops: a host directory linking to its root, and a second host that is a link to the first.
    symlinkSync("..", path.join(h, "up.crt"));
    symlinkSync(path.basename(h), path.join(r, "alias:5000"));
    symlinkSync("loop:5000", path.join(r, "loop:5000"));
  });
  const report = expectSane(lint(root));
  const files = report.findings.map((f) => f.file);
  expect(files).toEqual(expect.arrayContaining(["self.crt", "a.crt", "long-chain.crt", "up.crt"]));
  // /etc/passwd is no certificate: said, not printed.
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n")[0]!;
  expect(JSON.stringify(report)).not.toContain(passwd);
});

test("unreadable files and directories, as an unprivileged user", () => {
  const root = tree((h, r) => {
    cpSync(path.join(GOOD, "ca.crt"), path.join(h, "ca.crt"));
    cpSync(path.join(GOOD, "client.cert"), path.join(h, "client.cert"));
    cpSync(path.join(GOOD, "client.key"), path.join(h, "client.key"));
    chmodSync(path.join(h, "client.key"), 0o000);
    mkdirSync(path.join(r, "locked:5000"));
    cpSync(path.join(GOOD, "ca.crt"), path.join(r, "locked:5000", "ca.crt"));
    chmodSync(path.join(r, "locked:5000"), 0o000);
    mkdirSync(path.join(h, "sub.crt"));
    chmodSync(path.join(h, "sub.crt"), 0o000);
  });
  const nobody = 65534;
  if (process.getuid?.() !== 0) {
    // Not root: this user cannot read them either, which is the point.
    expectSane(lint(root));
    return;
  }
  const probe = spawnSync(process.execPath, [CLI, "--version"], { uid: nobody, gid: nobody });
  if (probe.status !== 0) {
    skipped.push("unreadable entries (cannot run node as nobody)");
    return;
  }
  const report = expectSane(lint(root, { uid: nobody })) as unknown as {
    hosts: Array<{ name: string; runtimes: Record<string, { status: string; reason: string | null }> }>;
  };
  // What a root daemon would read cannot be predicted by nobody: said per runtime, not guessed.
  const host = report.hosts.find((h) => h.name === "registry.example.com:5000")!;
  expect(host.runtimes.docker).toMatchObject({
    status: "undetermined",
    reason: expect.stringContaining("cannot read client.key") as jest.AsymmetricMatcher,
  });
  expect(report.hosts.map((h) => h.name)).toContain("locked:5000");
  expect(report.hosts.find((h) => h.name === "locked:5000")!.runtimes.docker!.status).toBe("undetermined");
});

test("names that are not valid UTF-8, and names with newlines", () => {
  const root = tree((h, r) => {
    const bad = Buffer.concat([Buffer.from(`${h}/`), Buffer.from([0x63, 0x61, 0xff, 0xfe, 0x2e, 0x63, 0x72, 0x74])]); // "ca\xff\xfe.crt"
    writeFileSync(bad, readFileSync(path.join(GOOD, "ca.crt")));
    writeFileSync(path.join(h, "ca\n.crt"), readFileSync(path.join(GOOD, "ca.crt")));
    writeFileSync(path.join(h, "client\r\n.cert"), readFileSync(path.join(GOOD, "client.cert")));
    mkdirSync(path.join(r, "reg\nistry:5000"));
    writeFileSync(path.join(r, "reg\nistry:5000", "ca.crt"), readFileSync(path.join(GOOD, "ca.crt")));
    mkdirSync(Buffer.concat([Buffer.from(`${r}/`), Buffer.from([0x72, 0xc3, 0x28, 0x3a, 0x35])]));
  });
  const report = expectSane(lint(root));
  expect(report.hosts.length).toBe(3);
  // And every text format copes (one line per finding in compact: newlines in names are escaped or kept inside).
  for (const format of ["stylish", "sarif", "junit", "github", "checkstyle", "compact"]) {
    const r = spawnSync(process.execPath, [CLI, "--now", NOW, "--format", format, root], { encoding: "utf8" });
    expect([format, [0, 1].includes(r.status!)]).toEqual([format, true]);
    if (format === "sarif") JSON.parse(r.stdout);
    if ((format === "junit" || format === "checkstyle") && spawnSync("xmllint", ["--version"]).status === 0) {
      const x = spawnSync("xmllint", ["--noout", "-"], { input: r.stdout, encoding: "utf8" });
      expect([format, x.status, x.stderr]).toEqual([format, 0, ""]);
    }
  }
});

test("100 000 entries in one directory", () => {
  const root = tree((h) => {
    cpSync(path.join(GOOD, "ca.crt"), path.join(h, "ca.crt"));
    for (let i = 0; i < 100_000; i++) writeFileSync(path.join(h, `n${String(i).padStart(6, "0")}`), "");
  });
  const r = lint(root, { timeout: 120_000 });
  const report = expectSane(r);
  expect(report.hosts).toHaveLength(1);
}, 180_000);

test("directories 200 levels deep, below a host directory and above a certs root", () => {
  const root = tree((h) => {
    cpSync(path.join(GOOD, "ca.crt"), path.join(h, "ca.crt"));
    let d = path.join(h, "nested");
    for (let i = 0; i < 200; i++) d = path.join(d, "d");
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, "ca.crt"), readFileSync(path.join(GOOD, "ca.crt")));
  });
  expectSane(lint(root));
  let deep = path.join(tmp, `deep${n++}`);
  for (let i = 0; i < 200; i++) deep = path.join(deep, "d");
  const deepRoot = path.join(deep, "certs.d");
  mkdirSync(path.join(deepRoot, "registry.example.com:5000"), { recursive: true });
  cpSync(path.join(GOOD, "ca.crt"), path.join(deepRoot, "registry.example.com:5000", "ca.crt"));
  const report = expectSane(lint(deepRoot));
  expect(report.findings).toEqual([]);
});

test("linting never writes to the tree, with every format", () => {
  const root = tree((h) => {
    for (const f of ["ca.crt", "client.cert", "client.key"]) cpSync(path.join(GOOD, f), path.join(h, f));
    writeFileSync(path.join(h, "hosts.toml"), 'server = "https://registry.example.com:5000"\n');
  });
  const state = () =>
    execFileSync("find", [path.dirname(root), "-printf", "%p %y %m %s %T@\\n"], { encoding: "utf8" }) +
    execFileSync("sh", ["-c", `find "${path.dirname(root)}" -type f -exec sha256sum {} + | sort`], {
      encoding: "utf8",
    });
  const before = state();
  for (const format of ["stylish", "json", "sarif", "junit", "github", "checkstyle", "compact"]) {
    const r = spawnSync(process.execPath, [CLI, "--now", NOW, "--format", format, root], {
      encoding: "utf8",
      cwd: tmp,
    });
    expect([format, [0, 1].includes(r.status!)]).toEqual([format, true]);
  }
  expect(state()).toBe(before);
});

test("no module of certsd-lint imports a network API but the resolver's, which only looks names up (SECURITY.md)", () => {
  const sources = execFileSync("sh", ["-c", `cd "${REPO}" && find src rules -name '*.ts'`], { encoding: "utf8" })
    .trim()
    .split("\n");
  const network =
    /from\s+["'](node:)?(net|http|https|http2|tls|dgram|dns|dns\/promises|undici)["']|\bfetch\s*\(|WebSocket/;
  const users = sources.filter((f) => network.test(readFileSync(path.join(REPO, f), "utf8")));
  expect(users).toEqual(["src/host/resolve.ts"]);
  // dockerd's insecure-registry gate looks registry names up (getaddrinfo); nothing in it connects anywhere.
  const resolver = readFileSync(path.join(REPO, "src/host/resolve.ts"), "utf8");
  expect([...resolver.matchAll(/from\s+["'](node:[a-z/]+)["']/g)].map((m) => m[1])).toEqual([
    "node:dns/promises",
    "node:fs",
  ]);
  expect(/import \{([^}]*)\} from "node:dns\/promises"/.exec(resolver)?.[1]?.trim()).toBe("lookup");
  expect(sources.length).toBeGreaterThan(50);
});

test("deterministic: the same tree gives byte-identical JSON and SARIF on every run", () => {
  const examples = path.join(REPO, "examples", "certs.d");
  for (const format of ["json", "sarif"]) {
    const runs = [0, 1, 2].map(
      () =>
        spawnSync(process.execPath, [CLI, "--now", NOW, "--format", format, examples], { encoding: "utf8", cwd: REPO })
          .stdout,
    );
    expect(runs[0]!.length).toBeGreaterThan(1000);
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).toBe(runs[0]);
  }
});
