/**
 * --format tree: literal expected pictures of the bundled examples and of fixture cases that show each kind of
 * annotation, the same pictures wrapped for an 80-column terminal, and the tree lines checked against tree(1) itself
 * (`tree -a --noreport`, and `tree -a` for the closing count) on the same directories.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { formatters, lint } from "../../src/api.js";
import type { JsonReport } from "../../src/report/json.js";
import { caseRoot, cleanupFixtures, EXAMPLES, NOW, REPO } from "../helpers/fixtures.js";
import { cli } from "../helpers/cli.js";

afterAll(() => cleanupFixtures());

/** A picture written from its second line: the template's first newline is for legibility only. */
const pic = (s: TemplateStringsArray) => s.raw.join("").slice(1);

const reportOf = (paths: string[]): Promise<JsonReport> => lint({ paths, now: new Date(NOW), config: false });
const tree = async (paths: string[], width?: number) =>
  formatters.tree(await reportOf(paths), { cwd: REPO, ...(width === undefined ? {} : { width }) });

test("the examples: every host directory, each file with what each runtime does, rule ids, tree(1)'s count", async () => {
  expect(await tree([EXAMPLES])).toBe(pic`
examples/certs.d
├── ci.example.com
│   └── ca.crt  all 4: CA file, 1 certificate; ✖ CD404
├── gitlab.example.com:5050
│   ├── ca.crt  all 4: CA file, 1 certificate
│   ├── client.cert  all 4: client pair with client.key; ✖ CD307
│   └── client.key  all 4: client pair with client.cert
├── harbor.example.com
│   └── ca.cert  ⮕ docker, podman stop here: client certificate, no ca.key; ⮕ docker-containerd, containerd stop here: client pair (key in ca.cert) refused; ✖ CD103
├── localhost:5000  docker: never reads this directory: localhost is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate; ✖ CD108
│   ├── ca.crt  docker: not read; docker-containerd, containerd, podman: CA file, 1 certificate
│   ├── client.cert  docker: not read; docker-containerd, containerd, podman: client pair with client.key
│   └── client.key  docker: not read; docker-containerd, containerd, podman: client pair with client.cert
├── mirror.example.com:5000
│   └── ca.crt -> /etc/pki/ca-trust/source/anchors/mirror-ca.pem  ⮕ docker, docker-containerd, containerd stop here: CA file, unreadable; podman: skipped; ✖ CD107
├── nexus.example.com:8443
│   ├── ca.crt  docker, podman: ignored: no certificate; ⮕ docker-containerd, containerd stop here: CA file refused: no certificate; ✖ CD201
│   ├── client.crt  docker, podman: CA file, 1 certificate; docker-containerd, containerd: never reached; ✖ CD104
│   └── client.key  ⮕ docker, podman stop here: client key, no client.cert; docker-containerd, containerd: skipped
├── pinned.example.com:5000
│   └── ca.crt  all 4: CA file, 1 certificate; ✖ CD405
├── quay.example.com
│   ├── ca.crt  all 4: CA file, 1 certificate
│   ├── client.cert  all 4: client pair with client.key; ✖ CD401
│   └── client.key  all 4: client pair with client.cert
├── registry.example.com:443  ⚠ CD105
│   └── ca.crt  all 4: CA file, 1 certificate
├── registry.example.com:5000
│   ├── ca.crt  all 4: CA file, 1 certificate
│   ├── client.cert  all 4: client pair with client.key
│   └── client.key  all 4: client pair with client.cert
└── registry.internal:5000
    ├── ca.crt  docker, podman: CA file, 1 certificate; docker-containerd, containerd: ignored: hosts.toml in charge
    └── hosts.toml  docker, podman: ignored: extension; docker-containerd, containerd: hosts.toml in charge, 2 endpoints; ✖ CD503 ✖ CD504 ℹ CD510

12 directories, 22 files
14 problems (12 errors, 1 warning, 1 info): details with --format stylish, or certsd-lint explain CD404
`);
});

describe("fixture cases", () => {
  test("a DER ca.crt: docker and podman ignore it, the containerd family refuses it and stops there", async () => {
    expect(await tree([caseRoot("ca-der")])).toBe(pic`
fixtures/cases/ca-der
└── registry.example.com:5000
    ├── ca.crt  docker, podman: ignored: no certificate; ⮕ docker-containerd, containerd stop here: CA file refused: no certificate; ✖ CD201
    ├── client.cert  docker, podman: client pair with client.key; docker-containerd, containerd: never reached
    └── client.key  docker, podman: client pair with client.cert; docker-containerd, containerd: never reached

2 directories, 3 files
1 problem (1 error, 0 warnings, 0 info): details with --format stylish, or certsd-lint explain CD201
`);
  });

  test("a CA saved as .cert: every runtime stops at it, each for its own reason; the files after it are never reached", async () => {
    expect(await tree([caseRoot("ca-as-cert")])).toBe(pic`
fixtures/cases/ca-as-cert
└── registry.example.com:5000
    ├── ca.cert  ⮕ docker, podman stop here: client certificate, no ca.key; ⮕ docker-containerd, containerd stop here: client pair (key in ca.cert) refused; ✖ CD103
    ├── client.cert  all 4: never reached
    └── client.key  all 4: never reached

2 directories, 3 files
1 problem (1 error, 0 warnings, 0 info): details with --format stylish, or certsd-lint explain CD103
`);
  });

  test("a valid hosts.toml: in charge for the containerd family, which then ignores the Docker-style files", async () => {
    expect(await tree([caseRoot("toml-replaces-legacy")])).toBe(pic`
fixtures/cases/toml-replaces-legacy
└── registry.example.com:5000
    ├── ca.crt  docker, podman: CA file, 1 certificate; docker-containerd, containerd: ignored: hosts.toml in charge
    ├── client.cert  docker, podman: client pair with client.key; docker-containerd, containerd: ignored: hosts.toml in charge
    ├── client.key  docker, podman: client pair with client.cert; docker-containerd, containerd: ignored: hosts.toml in charge
    └── hosts.toml  docker, podman: ignored: extension; docker-containerd, containerd: hosts.toml in charge, 1 endpoint; ✖ CD503 ℹ CD510

2 directories, 4 files
2 problems (1 error, 0 warnings, 1 info): details with --format stylish, or certsd-lint explain CD503
`);
  });

  test("a loopback host: docker never reads the directory, the others load it", async () => {
    expect(await tree([caseRoot("loopback")])).toBe(pic`
fixtures/cases/loopback
└── localhost:5000  docker: never reads this directory: localhost is in 127.0.0.0/8, which dockerd always treats as an insecure registry: it skips certs.d for it, adds no CA and sends no client certificate; ✖ CD108
    ├── ca.crt  docker: not read; docker-containerd, containerd, podman: CA file, 1 certificate
    ├── client.cert  docker: not read; docker-containerd, containerd, podman: client pair with client.key
    └── client.key  docker: not read; docker-containerd, containerd, podman: client pair with client.cert

2 directories, 3 files
1 problem (1 error, 0 warnings, 0 info): details with --format stylish, or certsd-lint explain CD108
`);
  });
});

test("a CA hosts.toml names outside the directory: said beside the host, for the runtimes that load it", async () => {
  const text = await tree([caseRoot("toml-ca-external")]);
  const external = path.join(REPO, "fixtures", "external", "root-ca.pem");
  expect(text.split("\n")[1]).toBe(
    `└── registry.example.com:5000  docker-containerd, containerd: also loads ${external}`,
  );
});

test("width 80: annotations wrap beneath their entry, past the guides; rule ids stay beside the name", async () => {
  const text = await tree([caseRoot("ca-der"), caseRoot("loopback")], 80);
  expect(text).toBe(pic`
fixtures/cases/ca-der
└── registry.example.com:5000
    ├── ca.crt  ✖ CD201
    │     docker, podman: ignored: no certificate
    │     ⮕ docker-containerd, containerd stop here: CA file refused: no
    │       certificate
    ├── client.cert
    │     docker, podman: client pair with client.key
    │     docker-containerd, containerd: never reached
    └── client.key
          docker, podman: client pair with client.cert
          docker-containerd, containerd: never reached
fixtures/cases/loopback
└── localhost:5000  ✖ CD108
    │ docker: never reads this directory: localhost is in 127.0.0.0/8, which
    │   dockerd always treats as an insecure registry: it skips certs.d for it,
    │   adds no CA and sends no client certificate
    ├── ca.crt
    │     docker: not read
    │     docker-containerd, containerd, podman: CA file, 1 certificate
    ├── client.cert
    │     docker: not read
    │     docker-containerd, containerd, podman: client pair with client.key
    └── client.key
          docker: not read
          docker-containerd, containerd, podman: client pair with client.cert

4 directories, 6 files
2 problems (2 errors, 0 warnings, 0 info): details with --format stylish, or
certsd-lint explain CD201
`);
  for (const line of text.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
  // Every line of the bundled examples fits as well (the long symlink target and error texts included).
  for (const line of (await tree([EXAMPLES], 80)).split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
});

test("colour only when switched on: stops in red, rule ids by severity", async () => {
  const report = await reportOf([caseRoot("ca-der")]);
  expect(formatters.tree(report, { cwd: REPO })).not.toContain("\u001b[");
  const coloured = formatters.tree(report, { cwd: REPO, color: true });
  expect(coloured).toContain("\u001b[31m\u001b[1m⮕ docker-containerd, containerd stop here");
  expect(coloured).toContain("\u001b[31m✖ CD201\u001b[39m");
  expect(stripVTControlCharacters(coloured)).toBe(formatters.tree(report, { cwd: REPO }));
});

test("the CLI prints it with --format tree (no colour, no wrapping off a terminal)", async () => {
  const r = cli(["--now", NOW, "--format", "tree", path.relative(REPO, EXAMPLES)]);
  expect(r.stdout).toBe(await tree([EXAMPLES]));
  expect(r.code).toBe(1);
});

test("the JSON report's additions (entries, roots, verdicts) validate against schema/report.v1.schema.json", async () => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schema", "report.v1.schema.json"), "utf8")));
  const report = JSON.parse(JSON.stringify(await reportOf([EXAMPLES, caseRoot("fifo-crt")]))) as JsonReport;
  expect([validate(report), validate.errors]).toEqual([true, null]);
  const nexus = report.hosts.find((h) => h.name === "nexus.example.com:8443")!;
  expect(nexus.entries!.map((e) => e.name)).toEqual(["ca.crt", "client.crt", "client.key"]);
  expect(nexus.runtimes.containerd!.verdicts![0]).toMatchObject({
    file: "ca.crt",
    role: "ca",
    cause: "no-certificate",
  });
  expect(report.roots!.map((r) => path.basename(r.path))).toEqual(["certs.d", "fifo-crt"]);
});

describe("the same shape and order as tree(1)", () => {
  const hasTree = spawnSync("tree", ["--version"]).status === 0;
  if (!hasTree) console.warn("tree(1) comparison skipped: no tree (apt-get install -y tree)");
  const t = hasTree ? test : test.skip;
  // tree(1) sorts with strcoll: in C.UTF-8 that is byte order, Go's order. It draws its vertical guide with two
  // no-break spaces ("│\u00a0\u00a0 "); certsd-lint uses plain spaces, so those are made plain before comparing.
  const treeOf = (args: string[]) =>
    spawnSync("tree", args, { encoding: "utf8", env: { ...process.env, LC_ALL: "C.UTF-8" } }).stdout.replace(
      /\u00a0/g,
      " ",
    );
  const cases = [
    "ca-der",
    "ca-as-cert",
    "toml-replaces-legacy",
    "loopback",
    "good-symlinked-ca",
    "symlink-loop",
    "dangling-crt",
    "good-with-subdirectory",
    "host-dir-names",
    "host-is-file",
    "ignored-backups",
    "order-uppercase-first",
    "fifo-crt",
    "dir-named-crt",
    "empty-host",
  ];
  t.each([["the examples", EXAMPLES], ...cases.map((c) => [c, c])])("%s", async (_name, which) => {
    const root = which === EXAMPLES ? EXAMPLES : caseRoot(which);
    const shown = path.relative(REPO, root).startsWith("..") ? root : path.relative(REPO, root);
    const ours = (await tree([root])).split("\n");
    const blank = ours.indexOf("");
    const expected = treeOf(["-a", "--noreport", shown]).trimEnd().split("\n");
    // Each line is tree(1)'s, with the annotation (if any) after two spaces.
    expect(ours.slice(0, blank).map((l, i) => (l.startsWith(`${expected[i]}  `) ? expected[i] : l))).toEqual(expected);
    expect(ours[blank + 1]).toBe(treeOf(["-a", shown]).trimEnd().split("\n").pop());
  });

  t("a symlinked host directory: drawn name -> target and descended into, as `tree -a -l` does", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "certsd-tree-link-"));
    try {
      mkdirSync(path.join(root, "certs.d"));
      cpSync(path.join(caseRoot("good"), "registry.example.com:5000"), path.join(root, "shared"), { recursive: true });
      symlinkSync("../shared", path.join(root, "certs.d", "registry.example.com:5000"));
      const certsD = path.join(root, "certs.d");
      const ours = (await tree([certsD])).split("\n");
      const expected = treeOf(["-a", "-l", "--noreport", certsD]).trimEnd().split("\n");
      expect(expected[1]).toBe("└── registry.example.com:5000 -> ../shared");
      expect(
        ours.slice(0, expected.length).map((l, i) => (l.startsWith(`${expected[i]}  `) ? expected[i] : l)),
      ).toEqual(expected);
      expect(ours[expected.length + 1]).toBe(treeOf(["-a", "-l", certsD]).trimEnd().split("\n").pop());
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  t("names with control characters: escaped in octal as tree(1) escapes them, never raw", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "certsd-tree-names-"));
    try {
      const host = path.join(root, "registry.example.com:5000");
      mkdirSync(host);
      for (const name of ["a\nb.crt", "e\u001b[31mx.crt", "tab\t.crt", "del\u007f.crt", "c\u0085d.crt", "ü.crt"])
        writeFileSync(path.join(host, name), "");
      symlinkSync("t\u001bx", path.join(host, "l\u0001nk.crt"));
      const ours = (await tree([root])).split("\n");
      const expected = treeOf(["-a", "--noreport", root]).trimEnd().split("\n");
      expect(
        ours.slice(0, expected.length).map((l, i) => (l.startsWith(`${expected[i]}  `) ? expected[i] : l)),
      ).toEqual(expected);
      expect(expected).toContain("    ├── e\\033[31mx.crt");
      // eslint-disable-next-line no-control-regex
      expect(ours.join("\n")).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

test("README's example is what certsd-lint prints for it on an 80-column terminal", async () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const block = /<!-- tree-example -->\n```\n([^`]*)```/.exec(readme)![1]!;
  const text = await tree([path.join(EXAMPLES, "nexus.example.com:8443")], 80);
  expect(text.startsWith(block)).toBe(true);
});
