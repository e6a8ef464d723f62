/**
 * Every built-in rule's findings have their parts: a one-line headline of at most HEADLINE_MAX characters, without a
 * final full stop, starting with a capital (or a file or host name); a why; a joined message that says more than the
 * headline; a fix command, where there is one, that is one line without backticks. Checked on every fixture case.
 */
import { HEADLINE_MAX, type Finding } from "../../src/engine/rule.js";
import { RULES } from "../../rules/index.js";
import { caseRoot, cleanupFixtures, MANIFEST } from "../helpers/fixtures.js";
import { lintPaths } from "../helpers/rule-tester.js";

afterAll(() => cleanupFixtures());

const findings: Array<Finding & { caseId: string }> = MANIFEST.flatMap((c) =>
  lintPaths([caseRoot(c.id)]).findings.map((f) => ({ ...f, caseId: c.id })),
);

/** The rules whose findings are given in parts. */
const PARTED = RULES.map((r) => r.meta.id).filter((id) => /^CD(001|1\d\d|2\d\d)$/.test(id));

/** What is wrong with a finding's parts, or nothing. */
function problems(f: Finding): string[] {
  const out: string[] = [];
  const h = f.headline;
  if (!h) return ["no headline"];
  if (h.length > HEADLINE_MAX) out.push(`headline of ${h.length} characters`);
  if (/[\r\n]/.test(h)) out.push("headline spans lines");
  if (h.endsWith(".")) out.push("headline ends in a full stop");
  if (!/^[A-Z"]/.test(h) && !(f.file && h.startsWith(f.file)) && !h.startsWith(f.host))
    out.push("headline starts with neither a capital nor a file or host name");
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
  expect(mine.length).toBeGreaterThan(0);
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
