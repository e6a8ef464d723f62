import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { subjectOf } from "../src/material/material.js";
import { certName, clip, fit, headline } from "../src/facts/headline.js";

export default defineRule({
  meta: {
    id: "CD410",
    name: "duplicate-ca",
    severity: "info",
    description: "The same CA certificate more than once (in two files, or twice in one)",
  },
  check(ctx, report) {
    const seen = new Map<string, string>();
    for (const entry of ctx.host.entries) {
      const inFile = new Set<string>();
      for (const r of checked(ctx)) {
        const v = ctx.verdict(r, entry.name);
        for (const s of v?.skipped ?? []) if (s.reason === "duplicate") inFile.add(String(s.line));
      }
      if (inFile.size) {
        const lines = [...inFile];
        report({
          file: entry.name,
          messageId: "repeated-in-file",
          headline:
            lines.length === 1
              ? `The same certificate twice (again on line ${lines[0]}); Go keeps one copy`
              : `Repeated certificates (${lines.length}, again from line ${lines[0]} on); Go keeps one copy of each`,
          why:
            lines.length === 1
              ? `${entry.name} holds the same certificate twice (again on line ${lines[0]}); Go keeps one copy.`
              : `${entry.name} holds certificates more than once (again on line ${lines.join(", ")}); ` +
                `Go keeps one copy of each.`,
          fix: { text: lines.length === 1 ? "Remove the repeat." : "Remove the repeats." },
        });
      }
    }
    for (const t of trustedCertificates(ctx)) {
      const first = seen.get(t.block.sha256);
      if (first === undefined) {
        seen.set(t.block.sha256, t.entry.name);
        continue;
      }
      if (first === t.entry.name) continue;
      report({
        file: t.entry.name,
        runtimes: t.runtimes,
        messageId: "repeated-across-files",
        headline: headline(fit(`Repeats a CA already loaded from ${clip(first)}`, ` (${certName(t.block)})`)),
        why:
          `${t.entry.name} repeats "${subjectOf(t.block)}", already loaded from ${first}. ` +
          `Harmless (the pool keeps one copy), ` +
          `but two copies drift apart when the CA is renewed.`,
        fix: { text: "Keep one file per CA." },
      });
    }
  },
});
