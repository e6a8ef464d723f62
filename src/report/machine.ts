/**
 * The formats machines read: SARIF 2.1.0 (code-scanning tools), JUnit XML (CI test reports), GitHub workflow
 * commands (annotations on a pull request), Checkstyle XML, and a compact one-line-per-finding text. Each works on
 * the JSON report, so the API can format a report it got from lint(). None is ever coloured.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Finding, fixText, type RuleMeta, type Severity } from "../engine/rule.js";
import type { RuleHelp } from "../rule-docs.js";
import { type JsonReport, runtimeSayings } from "./json.js";

export interface MachineOptions {
  /** Every rule that ran (built-in and plugins): SARIF lists them in tool.driver.rules. */
  rules: readonly RuleMeta[];
  /** Paths are given relative to this directory where they are inside it (the repository root). */
  base: string;
  /** A rule's page (the caller reads it: formatters never touch the disk). */
  help?: (meta: RuleMeta) => RuleHelp;
  /** The tool's web address (package.json's homepage), if it has one. */
  informationUri?: string;
}

/** The repository root above `dir` (the nearest directory with .git), else `dir` itself. */
export function repositoryRoot(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(d, ".git"))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(dir);
    d = up;
  }
}

/** Where a finding is: the file, or the host directory for findings about the directory itself. */
export function findingPath(f: Finding): string {
  const host = path.join(f.root, f.host);
  return f.file ? path.join(host, f.file) : host;
}

function relativeTo(base: string, p: string): string | null {
  const rel = path.relative(base, p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : null;
}

/**
 * The finding as lines: its headline (what a title shows), what each runtime prints (the same text named once), why,
 * and the fix. A plugin finding with only a message has that as its headline.
 */
function fullMessage(f: Finding): string {
  const lines = [f.headline, ...runtimeSayings(f)];
  if (f.why) lines.push(f.why);
  if (f.fix) lines.push(`fix: ${fixText(f.fix)}`);
  return lines.join("\n");
}

// --- SARIF 2.1.0 ------------------------------------------------------------------------------------------------

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

function encodeSegments(rel: string): string {
  return rel
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}

function helpFor(meta: RuleMeta, o: MachineOptions): { helpUri?: string; help?: { text: string; markdown?: string } } {
  const h = o.help?.(meta) ?? {};
  return {
    ...(h.uri ? { helpUri: h.uri } : {}),
    help: { text: meta.description, ...(h.markdown ? { markdown: h.markdown } : {}) },
  };
}

export function formatSarif(report: JsonReport, o: MachineOptions): string {
  const rules = [...o.rules];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const baseUri = pathToFileURL(o.base.endsWith(path.sep) ? o.base : `${o.base}${path.sep}`).href;
  const results = report.findings.map((f) => {
    const abs = findingPath(f);
    const rel = relativeTo(o.base, abs);
    const isDir = !f.file || f.host === "";
    const artifactLocation =
      rel !== null
        ? { uri: `${encodeSegments(rel)}${!f.file ? "/" : ""}`, uriBaseId: "%SRCROOT%" }
        : { uri: pathToFileURL(abs).href };
    return {
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId)! } : {}),
      level: SARIF_LEVEL[f.severity],
      // GitHub code scanning shows the first line of the text as the alert's title: the headline.
      message: { text: fullMessage(f) },
      locations: [{ physicalLocation: { artifactLocation, ...(isDir ? {} : { region: { startLine: 1 } }) } }],
      partialFingerprints: { "certsdLint/v1": f.fingerprint },
      properties: {
        headline: f.headline,
        ...(f.why ? { why: f.why } : {}),
        ...(f.fix ? { fix: f.fix } : {}),
        ...(f.messageId ? { messageId: f.messageId } : {}),
        ...(f.runtimes.length ? { runtimes: f.runtimes, host: f.host } : {}),
        ...(Object.keys(f.runtimeErrors).length ? { runtimeErrors: f.runtimeErrors } : {}),
      },
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            // A web address only when package.json has a homepage; never a path of this machine.
            ...(o.informationUri ? { informationUri: o.informationUri } : {}),
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.description },
              ...helpFor(r, o),
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { runtimes: r.runtimes, tags: ["certs.d", "tls"] },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: baseUri } },
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

// --- XML ---------------------------------------------------------------------------------------------------------

/** Text and attribute values: the five entities escaped, characters XML 1.0 cannot carry dropped. */
/**
 * For attribute values: line breaks and tabs as character references too, since XML parsers turn literal ones in an
 * attribute into spaces (attribute-value normalisation) and a multi-line message would arrive as one line.
 */
export function xmlAttr(s: string): string {
  return xmlEscape(s).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

export function xmlEscape(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- XML 1.0 allows these control characters and no others
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

function shownPath(p: string, base: string): string {
  return relativeTo(base, p) ?? p;
}

/**
 * JUnit XML: one test suite per host directory, one test case per finding (errors and warnings fail; infos pass
 * and say so in system-out), and one passing case for a directory without findings.
 */
export function formatJunit(report: JsonReport, o: MachineOptions): string {
  const suites: Array<{ name: string; cases: string[]; failures: number }> = [];
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings)
    groups.set(path.join(f.root, f.host), [...(groups.get(path.join(f.root, f.host)) ?? []), f]);
  const config = report.findings.filter((f) => f.host === "");
  if (config.length) groups.delete(path.join(config[0]!.root, ""));
  const suiteFor = (name: string, findings: Finding[]) => {
    let failures = 0;
    const cases = findings.map((f) => {
      const caseName = `${f.ruleId} ${f.name}${f.file ? ` ${f.file}` : ""}`;
      const head = `    <testcase classname="${xmlAttr(`certsd-lint.${f.host || "config"}`)}" name="${xmlAttr(caseName)}" file="${xmlAttr(shownPath(findingPath(f), o.base))}" time="0">`;
      if (f.severity === "info")
        return `${head}\n      <system-out>${xmlEscape(`info: ${fullMessage(f)}`)}</system-out>\n    </testcase>`;
      failures++;
      return `${head}\n      <failure type="${f.severity}" message="${xmlAttr(f.message)}">${xmlEscape(`${f.severity} ${f.ruleId} ${f.name}\n${fullMessage(f)}\nsee ${f.docsUrl}`)}</failure>\n    </testcase>`;
    });
    if (!cases.length)
      cases.push(
        `    <testcase classname="${xmlAttr(`certsd-lint.${path.basename(name)}`)}" name="no problems" time="0"/>`,
      );
    suites.push({ name, cases, failures });
  };
  if (config.length) suiteFor(shownPath(path.join(config[0]!.root, config[0]!.file ?? ""), o.base), config);
  for (const h of report.hosts) suiteFor(shownPath(h.path, o.base), groups.get(path.join(h.root, h.name)) ?? []);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const body = suites
    .map(
      (s) =>
        `  <testsuite name="${xmlAttr(s.name)}" tests="${s.cases.length}" failures="${s.failures}" errors="0" skipped="0" time="0">\n${s.cases.join("\n")}\n  </testsuite>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="certsd-lint" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="0">\n${body}\n</testsuites>\n`;
}

/** Checkstyle XML, as ESLint's and hadolint's checkstyle formatters write it: one <file> per path. */
export function formatCheckstyle(report: JsonReport, o: MachineOptions): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(findingPath(f), [...(byFile.get(findingPath(f)) ?? []), f]);
  const files = [...byFile].map(([p, fs]) => {
    const errors = fs.map(
      (f) =>
        `    <error line="1" column="1" severity="${f.severity}" message="${xmlAttr(fullMessage(f))}" source="certsd-lint.` +
        `${xmlEscape(f.ruleId)}"/>`,
    );
    return `  <file name="${xmlAttr(shownPath(p, o.base))}">\n${errors.join("\n")}\n  </file>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>\n<checkstyle version="4.3">\n${files.join("\n")}${files.length ? "\n" : ""}</checkstyle>\n`;
}

// --- GitHub workflow commands --------------------------------------------------------------------------------------

/** As @actions/core escapes a command's data: %, CR, LF. */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** As @actions/core escapes a property value: the data escapes, plus ':' and ','. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const GITHUB_LEVEL: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** `::error file=…,title=CD301 key-mismatch::message` lines: annotations on the pull request's files. */
export function formatGithub(report: JsonReport, o: MachineOptions): string {
  return report.findings
    .map((f) => {
      // The order @actions/core writes them in: title, file, line.
      const props = [
        `title=${escapeProperty(`${f.ruleId} ${f.name}`)}`,
        `file=${escapeProperty(shownPath(findingPath(f), o.base))}`,
        ...(f.file && f.host !== "" ? ["line=1"] : []),
      ];
      return `::${GITHUB_LEVEL[f.severity]} ${props.join(",")}::${escapeData(fullMessage(f))}\n`;
    })
    .join("");
}

/** One line per finding: `path: severity rule message`. */
export function formatCompact(report: JsonReport, o: MachineOptions): string {
  const lines = report.findings.map(
    (f) => `${shownPath(findingPath(f), o.base)}: ${f.severity} ${f.ruleId} ${f.name}: ${f.message}`,
  );
  const c = report.summary;
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  lines.push(
    `${n(c.errors + c.warnings + c.infos, "problem", "problems")} (${n(c.errors, "error", "errors")}, ` +
      `${n(c.warnings, "warning", "warnings")}, ` +
      `${c.infos} info) in ${n(c.hosts, "host directory", "host directories")}`,
  );
  return `${lines.join("\n")}\n`;
}
