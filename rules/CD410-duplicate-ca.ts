import { trustedCertificates } from "../src/facts/certificates.js";
import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { subjectOf } from "../src/material/material.js";

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
        report({
          file: entry.name,
          message:
            `${entry.name} holds the same certificate twice (again on line ${[...inFile].join(", ")}); Go keeps one copy. ` +
            `Remove the repeat.`,
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
        message:
          `${t.entry.name} repeats "${subjectOf(t.block)}", already loaded from ${first}. ` +
          `Harmless (the pool keeps one copy), ` +
          `but two copies drift apart when the CA is renewed: keep one file per CA.`,
      });
    }
  },
});
