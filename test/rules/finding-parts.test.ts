/**
 * Every built-in rule's findings have their parts: a one-line headline of at most HEADLINE_MAX characters, without a
 * final full stop, starting with a capital (or a file or host name); a why; a joined message that says more than the
 * headline; a fix command, where there is one, that is one line without backticks. Checked on every fixture case.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { HEADLINE_MAX, type Finding } from "../../src/engine/rule.js";
import { RULES } from "../../rules/index.js";
import { cli } from "../helpers/cli.js";
import { caseHost, caseRoot, cleanupFixtures, MANIFEST, NOW, REPO } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

const tmp = mkdtempSync(path.join(os.tmpdir(), "certsd-parts-"));
afterAll(() => {
  cleanupFixtures();
  rmSync(tmp, { recursive: true, force: true });
});

const SYSROOTS = path.join(REPO, "fixtures", "sysroots");

/** A certs root with a CA file dropped beside its host directory (what CD120 is about). */
function looseCaRoot(): string {
  const root = path.join(tmp, "loose-ca", "certs.d");
  mkdirSync(root, { recursive: true });
  cpSync(caseHost("good"), path.join(root, path.basename(caseHost("good"))), { recursive: true });
  cpSync(path.join(caseHost("good"), "ca.crt"), path.join(root, "ca.crt"));
  return root;
}

const findings: Array<Finding & { caseId: string }> = [
  ...MANIFEST.flatMap((c) => lintPaths([caseRoot(c.id)]).findings.map((f) => ({ ...f, caseId: c.id }))),
  // The host-context rules (CD6xx) judge a whole machine: the fixture sysroots, linted as a user does.
  ...readdirSync(SYSROOTS).flatMap((name) =>
    (
      JSON.parse(cli(["--sysroot", path.join(SYSROOTS, name), "--now", NOW, "-f", "json"]).stdout) as {
        findings: Finding[];
      }
    ).findings.map((f) => ({ ...f, caseId: `sysroot:${name}` })),
  ),
  ...lintPaths([looseCaRoot()]).findings.map((f) => ({ ...f, caseId: "loose-ca" })),
];

/**
 * Rules no committed tree triggers, and why; their parts are checked where their own tests build the tree.
 * CD001 is the safety net: every runtime failure a fixture causes has a dedicated rule now.
 */
// CD610 needs running daemons (a live host: test/host/reload.test.ts); CD612 a home whose owner is not root
// (test/host/access.test.ts).
const NOT_ON_FIXTURES = new Set(["CD001", "CD610", "CD612"]);

/** The rules whose findings are given in parts. */
// Every built-in rule but the configuration and internal-error ones (CD000, CD002, CD003), which no tree triggers.
const PARTED = RULES.map((r) => r.meta.id).filter((id) => /^CD(001|[1-9]\d\d)$/.test(id));

/** What is wrong with a finding's parts, or nothing. */
function problems(f: Finding): string[] {
  const out: string[] = [];
  const h = f.headline;
  if (!h) return ["no headline"];
  if (h.length > HEADLINE_MAX) out.push(`headline of ${h.length} characters`);
  if (/[\r\n]/.test(h)) out.push("headline spans lines");
  if (h.endsWith(".")) out.push("headline ends in a full stop");
  if (
    !/^([A-Z"/]|(dockerd|docker|containerd|podman)\b)/.test(h) &&
    !(f.file && h.startsWith(f.file)) &&
    !h.startsWith(f.host)
  )
    out.push("headline starts with neither a capital, a path, a program nor a file or host name");
  if (!f.why?.trim()) out.push("no why");
  if (f.message === h) out.push("message is only the headline");
  if (f.fix) {
    if (!f.fix.text.trim()) out.push("fix without text");
    if (f.fix.command !== undefined) {
      if (/[\r\n]/.test(f.fix.command)) out.push("fix command spans lines");
      if (f.fix.command.includes("`")) out.push("fix command has a backtick");
      if (!f.fix.text.endsWith(":")) out.push("fix text does not introduce its command with a colon");
    }
  }
  return out;
}

test.each(PARTED)("%s: every finding on the fixtures has its parts", (id) => {
  const mine = findings.filter((f) => f.ruleId === id);
  // Each rule fires on some fixture, so the check is not vacuous.
  if (!NOT_ON_FIXTURES.has(id)) expect(mine.length).toBeGreaterThan(0);
  const bad = mine.flatMap((f) =>
    problems(f).map((p) => `${f.caseId} ${f.host} ${f.file ?? ""}: ${p} (${f.headline})`),
  );
  expect(bad).toEqual([]);
});

test("a rename is a command only when the new name is free", () => {
  const cd116 = findings.filter((f) => f.caseId === "host-dir-names" && f.ruleId === "CD116");
  // registry.example.com exists beside registry.example.com.: no command that would move one into the other.
  const dot = cd116.find((f) => f.messageId === "trailing-dot")!;
  expect(dot.fix).toEqual({
    text: 'Rename it to "registry.example.com" (a "registry.example.com" is already there: merge the two).',
  });
  expect(cd116.find((f) => f.messageId === "whitespace")!.fix?.command).toBe(
    "mv ../'registry.example.com :5000' ../registry.example.com:5000",
  );
});

test.each(PARTED)("%s: message ids are kebab-case", (id) => {
  const ids = new Set(findings.filter((f) => f.ruleId === id && f.messageId !== undefined).map((f) => f.messageId!));
  expect([...ids].filter((m) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m))).toEqual([]);
});

test("CD508: the rename to hosts.toml is a command only when no hosts.toml is there", () => {
  const free = findings.find((f) => f.caseId === "toml-misnamed" && f.ruleId === "CD508")!;
  expect(free.fix).toEqual({ text: "Rename it to hosts.toml:", command: "mv host.toml hosts.toml" });
  // The same directory with a hosts.toml beside host.toml: mv would overwrite it, so the fix says so and gives none.
  const root = path.join(tmp, "toml-misnamed-taken");
  const host = path.join(root, path.basename(caseHost("toml-misnamed")));
  cpSync(caseHost("toml-misnamed"), host, { recursive: true });
  writeFileSync(path.join(host, "hosts.toml"), 'server = "https://registry.example.com:5000"\n');
  const taken = lintPaths([root]).findings.filter((f) => f.ruleId === "CD508");
  expect(taken.map((f) => [f.file, f.fix])).toEqual([
    ["host.toml", { text: "Rename it to hosts.toml (a hosts.toml is already there: merge the two)." }],
  ]);
});

test("CD303: the decrypting command quotes the key's name for sh", () => {
  const root = path.join(tmp, "key-encrypted-quoted");
  const host = path.join(root, path.basename(caseHost("key-encrypted-pkcs8")));
  cpSync(caseHost("key-encrypted-pkcs8"), host, { recursive: true });
  cpSync(path.join(host, "client.cert"), path.join(host, "my client.cert"));
  cpSync(path.join(host, "client.key"), path.join(host, "my client.key"));
  const f = lintPaths([root]).findings.find((x) => x.ruleId === "CD303" && x.file === "my client.key")!;
  expect(f.fix?.command).toBe(
    "openssl pkey -in 'my client.key' -out 'my client.key.plain' && chmod 600 'my client.key.plain' && " +
      "mv 'my client.key.plain' 'my client.key'",
  );
});
