import { defineRule } from "../src/engine/rule.js";
import { checked, errorsOn } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import { PAIRING_TEXTS } from "../src/facts/program-texts.js";
import { isLiveName } from "../src/scan/names.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { isAppleDouble } from "../src/scan/names.js";

export default defineRule({
  meta: {
    id: "CD110",
    name: "appledouble-file",
    severity: "error",
    description: "macOS AppleDouble metadata (._ca.crt, ._client.cert) that the loaders take for certificate files",
    programText: {
      docker: PAIRING_TEXTS.missingKey.docker.replace("<k>", "._<k>").replace("<c>", "._<c>"),
      containerd: 'unable to load CA cert "<path>"',
    },
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries.filter((e) => isAppleDouble(e.name) && isLiveName(e.name))) {
      const errors = errorsOn(ctx, [entry.name]);
      const failing = Object.keys(errors) as RuntimeId[];
      const silent = checked(ctx).filter((r) => !errors[r]);
      const effects: string[] = [];
      if (failing.length)
        effects.push(
          `${say(failing, "takes", "take")} it for certificate material and ` +
            `${verb(failing, "fails", "fail")} every pull, ` +
            `push and login for this registry`,
        );
      if (silent.length)
        effects.push(`${say(silent, "reads", "read")} it and ${verb(silent, "finds", "find")} nothing in it`);
      report({
        file: entry.name,
        severity: failing.length ? "error" : "warning",
        headline: "AppleDouble metadata (left by copying from a Mac), not a certificate",
        why:
          `${entry.name} is macOS metadata (an AppleDouble file, left by copying from a Mac), ` +
          `not a certificate: ${effects.join("; ")}.`,
        fix: { text: "Delete every ._* file here:", command: "rm ./._*" },
        runtimeErrors: errors,
        runtimes: failing.length ? failing : silent,
      });
    }
  },
});
