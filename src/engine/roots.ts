/**
 * The root-level pass: rules that judge the files directly in a certs root (`certs.d/ca.crt` beside the host
 * directories), which no runtime reads. Their findings have host "" and the file's name; they run where one of the
 * rule's runtimes is checked for that root.
 */
import { runtimesForRoot } from "../runtimes/registry.js";
import type { RuntimeId } from "../runtimes/types.js";
import type { ScanResult } from "../scan/types.js";
import { rootFingerprint } from "./fingerprint.js";
import { fatalFinding } from "./internal-error.js";
import { docsUrl, type Finding, type FindingInput, type Rule } from "./rule.js";

type Text = (f: FindingInput) => Pick<Finding, "headline" | "why" | "fix" | "messageId" | "message">;

export function lintRoots(
  scan: ScanResult,
  rules: readonly Rule[],
  runtimes: readonly RuntimeId[] | null,
  text: Text,
): Finding[] {
  const findings: Finding[] = [];
  for (const root of scan.roots) {
    const selected = runtimes ?? runtimesForRoot(root.path);
    const hosts = scan.hosts.filter((h) => h.root === root.path);
    for (const rule of rules) {
      if (!rule.checkRoot) continue;
      const checked = selected.filter((r) => rule.meta.runtimes.includes(r));
      if (!checked.length) continue;
      const report = (f: FindingInput) => {
        if (!f.file) throw new Error(`${rule.meta.id}: a root-level finding names its file`);
        const entry = root.looseFiles.find((e) => e.name === f.file);
        if (!entry) throw new Error(`${rule.meta.id}: ${f.file} is not a file of ${root.path}`);
        const quoted = Object.keys(f.runtimeErrors ?? {}) as RuntimeId[];
        findings.push({
          ruleId: rule.meta.id,
          name: rule.meta.name,
          severity: f.severity ?? rule.meta.severity,
          root: root.path,
          host: "",
          file: f.file,
          ...text(f),
          runtimeErrors: f.runtimeErrors ?? {},
          runtimes: checked.filter((r) => (f.runtimes ?? (quoted.length ? quoted : checked)).includes(r)),
          docsUrl: docsUrl(rule.meta),
          fingerprint: rootFingerprint(rule.meta.id, f.file, entry),
        });
      };
      try {
        rule.checkRoot({ root: root.path, files: root.looseFiles, hosts, checked }, report);
      } catch (e) {
        findings.push(
          fatalFinding(rule.meta, { root: root.path, name: "" }, `${rule.meta.id} ${rule.meta.name} (certs root)`, e),
        );
      }
    }
  }
  return findings;
}
