/**
 * What the configuration does to the findings, after the rules have run: severities set per rule, findings hidden
 * by `ignore` entries (each with its reason and, optionally, an expiry date) or by a baseline. Expired ignores stop
 * working and are reported (CD002); ignores that hid nothing are reported too (CD003).
 */
import path from "node:path";
import type { Config, IgnoreEntry } from "./config.js";
import type { HostDir } from "../scan/types.js";
import { docsUrl, type Finding, joinedMessage, type RuleMeta, type Severity } from "../engine/rule.js";

/** A glob as used in `ignore`: `**` any number of path segments (none included), `*` and `?` within one. */
export function globToRegExp(glob: string): RegExp {
  const parts = glob.replace(/^\.\//, "").replace(/\/+$/, "").split("/");
  let re = "";
  let sep = false; // whether the next ordinary segment needs a "/" in front
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p === "**") {
      if (last) re += sep ? "(?:/.*)?" : ".*";
      else re += sep ? "(?:/[^/]+)*/" : "(?:[^/]+/)*";
      sep = false;
      return;
    }
    const seg = [...p]
      .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("");
    re += (sep ? "/" : "") + seg;
    sep = true;
  });
  return new RegExp(`^${re}$`);
}

/** The names a place goes by: `<host>`, `<host>/<file>`, and the same relative to the config's directory. */
function placeNames(f: Pick<Finding, "root" | "host" | "file">, configDir: string): string[] {
  const hostPath = path.join(f.root, f.host);
  const abs = f.file ? path.join(hostPath, f.file) : hostPath;
  const names = [f.file ? `${f.host}/${f.file}` : f.host, path.relative(configDir, abs).split(path.sep).join("/")];
  return names;
}

/** What the run looked at, for telling a stale ignore from one about a host this run did not lint. */
export interface PolicyScope {
  hosts: ReadonlyArray<Pick<HostDir, "root" | "name" | "entries" | "siblings">>;
}

/**
 * Whether an ignore that hid nothing deserves CD003. It does when it names something this run linted (stale), or
 * when the run covered whole roots (then it names nothing at all: misspelt). A run over part of a root (pre-commit
 * passes only changed files) says nothing about entries for the hosts it left out.
 */
function reportUnused(re: RegExp, scope: PolicyScope | null, configDir: string): boolean {
  if (!scope) return true;
  const places = scope.hosts.flatMap((h) => [
    ...placeNames({ root: h.root, host: h.name, file: null }, configDir),
    ...h.entries.flatMap((e) => placeNames({ root: h.root, host: h.name, file: e.name }, configDir)),
  ]);
  if (places.some((p) => re.test(p))) return true;
  const linted = new Set(scope.hosts.map((h) => path.join(h.root, h.name)));
  const partial = scope.hosts.some((h) => h.siblings.some((s) => !linted.has(path.join(h.root, s))));
  return !partial;
}

export interface Baseline {
  version: 1;
  findings: Array<{ ruleId: string; host: string; file: string | null; fingerprint: string }>;
}

export interface PolicyOutcome {
  findings: Finding[];
  suppressed: { ignored: number; baseline: number };
}

function expired(e: IgnoreEntry, now: Date): boolean {
  return e.expires !== null && now.getTime() >= Date.parse(`${e.expires}T00:00:00Z`) + 24 * 3600 * 1000;
}

function configFinding(
  meta: RuleMeta,
  config: Config,
  parts: Pick<Finding, "headline" | "why" | "fix" | "messageId">,
  key: string,
  severity: Severity,
): Finding {
  const file = path.basename(config.source ?? "");
  return {
    ruleId: meta.id,
    name: meta.name,
    severity,
    root: config.dir,
    host: "",
    file,
    ...parts,
    message: joinedMessage(parts),
    runtimeErrors: {},
    runtimes: [],
    docsUrl: docsUrl(meta),
    fingerprint: `${meta.id}:${file}:${key}`,
  };
}

export function applyPolicy(
  findings: readonly Finding[],
  config: Config,
  rules: readonly RuleMeta[],
  now: Date,
  baseline: Baseline | null,
  scope: PolicyScope | null = null,
): PolicyOutcome {
  const meta = (id: string) => rules.find((r) => r.id === id);
  const live = config.ignore.filter((e) => !expired(e, now));
  const used = new Set<IgnoreEntry>();
  const matchers = live.map((e) => ({ e, re: globToRegExp(e.path) }));
  const inBaseline = new Set(
    (baseline?.findings ?? []).map((b) => `${b.ruleId}\0${b.host}\0${b.file ?? ""}\0${b.fingerprint}`),
  );
  const out: Finding[] = [];
  let ignored = 0;
  let baselined = 0;
  for (const f of findings) {
    // An internal error is never hidden: it means a verdict is missing, whatever the configuration expected.
    if (f.fatal) {
      out.push(f);
      continue;
    }
    const hit = matchers.find(
      ({ e, re }) =>
        (e.rules === null || e.rules.includes(f.ruleId)) && placeNames(f, config.dir).some((n) => re.test(n)),
    );
    if (hit) {
      used.add(hit.e);
      ignored++;
      continue;
    }
    if (inBaseline.has(`${f.ruleId}\0${f.host}\0${f.file ?? ""}\0${f.fingerprint}`)) {
      baselined++;
      continue;
    }
    out.push(f);
  }
  const cd002 = meta("CD002");
  const cd003 = meta("CD003");
  for (const e of config.ignore) {
    const what = `ignore[${e.index}] (${e.path}${e.rules ? `, ${e.rules.join(", ")}` : ""}: "${e.reason}")`;
    const key = `ignore[${e.index}] ${e.path} ${e.rules?.join(",") ?? ""}`;
    if (expired(e, now) && cd002) {
      const why = `${what} expired on ${e.expires}, so it no longer hides anything.`;
      const fix = { text: "Fix what it hid, or extend it with a new date and a reason that still holds." };
      out.push(
        configFinding(
          cd002,
          config,
          { headline: `ignore[${e.index}] (${e.path}) expired on ${e.expires}`, why, fix },
          key,
          cd002.severity,
        ),
      );
    } else if (!used.has(e) && cd003 && reportUnused(globToRegExp(e.path), scope, config.dir)) {
      const why = `${what} matched no finding in this run.`;
      const fix = {
        text:
          "If the problem is fixed, delete the entry; otherwise check the path (host/file, e.g. " +
          "registry.example.com:5000/ca.crt) and the rule ids.",
      };
      out.push(
        configFinding(
          cd003,
          config,
          { headline: `ignore[${e.index}] (${e.path}) matched no finding`, why, fix },
          key,
          cd003.severity,
        ),
      );
    }
  }
  // Severities set per rule; "off" rules never ran, but their config findings are dropped here too.
  const final: Finding[] = [];
  for (const f of out) {
    const setting = config.rules[f.ruleId];
    if (f.fatal || !setting)
      final.push(f); // an internal error keeps its severity whatever the setting
    else if (setting !== "off") final.push({ ...f, severity: setting });
  }
  return { findings: final, suppressed: { ignored, baseline: baselined } };
}

export function baselineOf(findings: readonly Finding[]): Baseline {
  return {
    version: 1,
    findings: findings.map((f) => ({ ruleId: f.ruleId, host: f.host, file: f.file, fingerprint: f.fingerprint })),
  };
}
