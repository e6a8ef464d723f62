import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { shellQuote } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

export default defineRule({
  meta: {
    id: "CD111",
    name: "host-path-is-file",
    severity: "error",
    description: "A host directory's path is a file (cp ca.crt certs.d/myreg:5000 before the directory existed)",
    programText: {
      docker: "readdirent <path>: not a directory",
      containerd: "open <path>/hosts.toml: not a directory",
    },
  },
  check(ctx, report) {
    if (ctx.host.listError?.code !== "ENOTDIR") return;
    const errors: Partial<Record<RuntimeId, string>> = {};
    for (const r of checked(ctx)) {
      const e = ctx.runtimes[r]?.error;
      if (e) errors[r] = e;
    }
    const dir = shellQuote(ctx.host.path);
    const aside = shellQuote(`${ctx.host.path}.file`);
    report({
      headline: "A file where the registry's certificate directory should be",
      why:
        `${ctx.host.path} is a file, not a directory: ` +
        `every loader tries to open it as the registry's certificate directory, and every pull, ` +
        `push and login for ${ctx.host.name} fails. ` +
        `This is what \`cp ca.crt ${ctx.host.path}\` does when the directory does not exist yet.`,
      fix: {
        text: "Move the file aside, make the directory, and put the file back inside it as ca.crt:",
        command: `mv ${dir} ${aside} && mkdir ${dir} && mv ${aside} ${dir}/ca.crt`,
      },
      runtimeErrors: errors,
    });
  },
});
