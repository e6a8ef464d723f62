import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD213",
    name: "certificate-with-headers",
    severity: "error",
    description: "A CERTIFICATE block carrying PEM headers in a CA file: AppendCertsFromPEM skips it, silently",
    programText: {
      containerd: 'unable to load CA cert "<path>"',
      "docker-containerd": 'unable to load CA cert "<path>"',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      const rt: RuntimeId[] = [];
      const errors: Partial<Record<RuntimeId, string>> = {};
      const lines = new Set<number>();
      let anyTaken = false;
      for (const r of checked(ctx)) {
        const v = ctx.verdict(r, entry.name);
        const withHeaders = (v?.skipped ?? []).filter((s) => s.reason === "certificate-with-headers");
        if (v?.role !== "ca" || !withHeaders.length) continue;
        rt.push(r);
        withHeaders.forEach((s) => lines.add(s.line));
        if ((v.certificates ?? 0) > 0) anyTaken = true;
        else if (v.error && v.cause === "no-certificate") errors[r] = v.error;
      }
      if (!rt.length) continue;
      const failing = Object.keys(errors) as RuntimeId[];
      const silent = rt.filter((r) => !errors[r]);
      const effects: string[] = [];
      if (failing.length)
        effects.push(
          `${say(failing, "refuses", "refuse")} the file and ${verb(failing, "fails", "fail")} every pull, ` +
            `push and login for this registry`,
        );
      if (silent.length) effects.push(`${say(silent, "skips", "skip")} the block without a word`);
      const where = [...lines].sort((a, b) => a - b).join(", ");
      report({
        file: entry.name,
        severity: anyTaken ? "warning" : "error",
        runtimes: rt,
        runtimeErrors: errors,
        headline:
          `PEM headers in the CERTIFICATE block${lines.size > 1 ? "s" : ""} on line${lines.size > 1 ? "s" : ""} ${where}: ` +
          `the CA loader skips ${lines.size > 1 ? "them" : "it"}`,
        why:
          `The CERTIFICATE block${lines.size > 1 ? "s" : ""} on line${lines.size > 1 ? "s" : ""} ${where} of ` +
          `${entry.name} ${lines.size > 1 ? "carry" : "carries"} PEM headers ("Key: ` +
          `value" lines after BEGIN), and Go's CA loader takes only certificate blocks without headers. ` +
          `${effects.join("; ").replace(/^./, (c) => c.toUpperCase())}.` +
          `${anyTaken ? "" : " No other certificate in the file loads, so the registry is checked against the system CAs only."}`,
        fix: { text: "Delete the header lines between BEGIN CERTIFICATE and the base64 body." },
      });
    }
  },
});
