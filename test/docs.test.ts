import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { rulesMarkdown } from "../src/report/rules.js";
import { RULES } from "../rules/index.js";
import { REPO } from "./helpers/fixtures.js";

const DOCS = path.join(REPO, "docs", "rules");
const SECTIONS = ["## What it checks", "## Why", "## Example", "## How to fix", "## Runtimes and versions"];

describe.each(RULES.map((r) => [r.meta.id, r] as const))("%s doc page", (id, rule) => {
  const page = readFileSync(path.join(DOCS, `${id}.md`), "utf8");
  test("is titled with the rule's id and name", () => {
    expect(page.split("\n")[0]).toBe(`# ${id} ${rule.meta.name}`);
  });
  test("states the default severity and the runtimes", () => {
    expect(page).toMatch(new RegExp(`^\\*\\*Severity:\\*\\* ${rule.meta.severity}`, "m"));
    expect(page).toContain(`**Runtimes:** ${rule.meta.runtimes.join(", ")}`);
  });
  test("has every section, in order", () => {
    const at = SECTIONS.map((s) => page.indexOf(`\n${s}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
  test("quotes the program's text verbatim where the rule has one", () => {
    for (const text of Object.values(rule.meta.programText ?? {})) {
      // Templates: check the fixed parts of the first alternative.
      const fixed = text
        .split(" | ")[0]!
        .split(/<[a-zA-Z]+>/)
        .filter((p) => p.trim().length > 8);
      for (const part of fixed) expect(page).toContain(part.trim().replace(/^\.\s*/, ""));
    }
  });
});

test("every doc page belongs to a registered rule", () => {
  const ids = new Set(RULES.map((r) => r.meta.id));
  expect(readdirSync(DOCS).filter((f) => !ids.has(f.replace(/\.md$/, "")))).toEqual([]);
});

test("docs/rules.md is what `certsd-lint rules --format markdown` prints (regenerate it when this fails)", () => {
  const committed = readFileSync(path.join(REPO, "docs", "rules.md"), "utf8");
  expect(committed).toBe(rulesMarkdown(RULES.map((r) => r.meta)));
});

test("the catalogue has at least 45 rules, and ids are grouped by family", () => {
  expect(RULES.length).toBeGreaterThanOrEqual(45);
  const families = new Set(RULES.map((r) => r.meta.id.slice(0, 3)));
  expect([...families].sort()).toEqual(["CD0", "CD1", "CD2", "CD3", "CD4", "CD5", "CD6"]);
});

test("the README states the number of rules there are", () => {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  expect(readme).toContain(`\n${RULES.length} rules, in families`);
});

test("the documentation a user of the package has points at nothing outside it (no ../shared/ paths)", () => {
  const pages = [
    ...readdirSync(path.join(REPO, "docs", "rules")).map((f) => path.join("docs", "rules", f)),
    "docs/rules.md",
    "examples/README.md",
    "README.md",
    "SECURITY.md",
  ];
  const outside = pages.filter((p) => readFileSync(path.join(REPO, p), "utf8").includes("../shared"));
  expect(outside).toEqual([]);
});
