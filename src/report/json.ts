/**
 * The JSON report: a public interface. Schema version 1 is documented by schema/report.v1.schema.json; fields are
 * only ever added. Everything in it is sorted, so the same tree gives the same bytes.
 */
import type { ContextReport } from "./context.js";
import type { Finding, Severity } from "../engine/rule.js";
import type { LintResult, LintSettings } from "../engine/lint.js";
import type { EntryKind, Entry } from "../scan/types.js";
import type {
  EntryVerdict,
  HostsTomlState,
  IgnoredFile,
  LoggedMessage,
  OutcomeStatus,
  RuntimeId,
  RuntimeOutcome,
} from "../runtimes/types.js";

export const REPORT_VERSION = 1;

export interface RuntimeReport {
  status: OutcomeStatus;
  error: string | null;
  printed: string | null;
  errorFile: string | null;
  reason: string | null;
  caFiles: string[];
  caCertificates: number;
  clientPairs: Array<[string, string]>;
  ignored: IgnoredFile[];
  unreached: string[];
  logged: Array<Omit<LoggedMessage, "kind">>;
  hostsToml?: HostsTomlState;
  /** What the runtime does with each entry it understands, by file name (byte-wise): the tree format's annotations. */
  verdicts?: EntryVerdict[];
}

/** One entry of a listing as the scan saw it: what the tree format draws. */
export interface ListedEntry {
  name: string;
  /** What the entry is after following a symlink. */
  kind: EntryKind;
  /** A symlink's target as written (readlink); absent for anything else. */
  linkTarget?: string;
  /** Directories only: the names inside (at most 64, byte-wise; nothing below is read); null when unlistable. */
  children?: string[] | null;
}

export interface JsonReport {
  version: typeof REPORT_VERSION;
  tool: { name: string; version: string };
  options: {
    now: string;
    expiryWarningDays: number;
    dockerVersion: string;
    containerdVersion: string;
    podmanVersion: string;
    runtimes: readonly RuntimeId[] | null;
    config: string | null;
  };
  hosts: Array<{
    root: string;
    name: string;
    path: string;
    files: number;
    runtimes: Partial<Record<RuntimeId, RuntimeReport>>;
    /** The host directory's entries, byte-wise. */
    entries?: ListedEntry[];
    /** The host directory is a symlink to this target (as written). */
    linkTarget?: string;
    /** Why the host "directory" could not be listed (Go's os.ReadDir error), e.g. a file where it should be. */
    listError?: string;
  }>;
  /** The certs roots walked, with the entries directly in them that are not host directories. */
  roots?: Array<{ path: string; looseFiles: ListedEntry[] }>;
  findings: Finding[];
  /** The host context, when the run discovered it (--host, --sysroot, or no path). */
  context?: ContextReport;
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    fatal: number;
    hosts: number;
    files: number;
    suppressed: { ignored: number; baseline: number };
  };
}

function runtimeReport(o: RuntimeOutcome): RuntimeReport {
  return {
    status: o.status,
    error: o.error,
    printed: o.printed,
    errorFile: o.errorFile,
    reason: o.reason,
    caFiles: o.caFiles,
    caCertificates: o.caCertificates,
    clientPairs: o.clientPairs,
    ignored: o.ignored,
    unreached: o.unreached,
    logged: o.logged.map(({ kind: _kind, ...rest }) => rest),
    ...(o.hostsToml ? { hostsToml: o.hostsToml } : {}),
    verdicts: [...o.verdicts.values()].sort((a, b) => Buffer.compare(Buffer.from(a.file), Buffer.from(b.file))),
  };
}

function listed(e: Entry): ListedEntry {
  return {
    name: e.name,
    kind: e.kind,
    ...(e.symlink && e.linkTarget !== null ? { linkTarget: e.linkTarget } : {}),
    ...(e.children !== undefined ? { children: e.children } : {}),
  };
}

/** What the runtimes print for a finding, each text once: "docker, podman say: …", "containerd says: …". */
export function runtimeSayings(f: Finding): string[] {
  const byText = new Map<string, string[]>();
  for (const [runtime, text] of Object.entries(f.runtimeErrors))
    byText.set(text, [...(byText.get(text) ?? []), runtime]);
  const note = (rts: string[]) =>
    rts.some((r) => f.reworded?.includes(r as RuntimeId)) ? " (in certsd-lint's words, not verbatim)" : "";
  return [...byText].map(
    ([text, rts]) => `${rts.join(", ")} ${rts.length === 1 ? "says" : "say"}${note(rts)}: ${text}`,
  );
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

export interface ReportOptions {
  /** The settings the run used: its clock, expiry window, runtimes asked for (null: by root) and releases. */
  settings: LintSettings;
  /** The configuration file that applied, or null. */
  config?: string | null;
  /** Findings hidden by the configuration's ignores and by a baseline. */
  suppressed?: { ignored: number; baseline: number };
  context?: ContextReport;
}

export function toJsonReport(
  result: LintResult,
  tool: { name: string; version: string },
  options: ReportOptions,
): JsonReport {
  const counts = countBySeverity(result.findings);
  const { settings } = options;
  const scanned = new Map(result.scan.hosts.map((h) => [h.path, h]));
  const listing = (p: string) => {
    const h = scanned.get(p);
    if (!h) return {};
    return {
      ...(h.linkTarget !== undefined ? { linkTarget: h.linkTarget } : {}),
      entries: h.entries.map(listed),
      ...(h.listError ? { listError: h.listError.goError } : {}),
    };
  };
  return {
    version: REPORT_VERSION,
    tool,
    options: {
      now: settings.now.toISOString(),
      expiryWarningDays: settings.expiryWarningDays,
      dockerVersion: settings.runtime.docker.version,
      containerdVersion: settings.runtime.containerd.version,
      podmanVersion: settings.runtime.podman.version,
      runtimes: settings.runtimes,
      config: options.config ?? null,
    },
    hosts: result.hosts.map((h) => ({
      root: h.root,
      name: h.name,
      path: h.path,
      files: h.files,
      runtimes: Object.fromEntries(Object.entries(h.runtimes).map(([id, o]) => [id, runtimeReport(o)])),
      ...listing(h.path),
    })),
    roots: result.scan.roots.map((r) => ({ path: r.path, looseFiles: r.looseFiles.map(listed) })),
    findings: result.findings,
    ...(options.context ? { context: options.context } : {}),
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      infos: counts.info,
      fatal: result.findings.filter((f) => f.fatal).length,
      hosts: result.hosts.length,
      files: result.hosts.reduce((n, h) => n + h.files, 0),
      suppressed: options.suppressed ?? { ignored: 0, baseline: 0 },
    },
  };
}

export function formatJson(report: JsonReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
