import path from "node:path";
import { existsSync } from "node:fs";
import { defineRule } from "../src/engine/rule.js";
import { shellQuote } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD105",
    name: "host-port-443",
    severity: "warning",
    description: "A host directory named host:443, which is read only when references spell out :443",
  },
  check(ctx, report) {
    const m = /^(.+):443$/.exec(ctx.host.name);
    if (!m) return;
    const bare = m[1]!;
    // A sibling without the port means both spellings are covered on purpose.
    const sibling = existsSync(path.join(ctx.host.root, bare));
    report(
      sibling
        ? {
            severity: "info",
            messageId: "beside-bare",
            headline: `Read only for references that spell ":443"; the directory without the port covers the rest`,
            why: `"${ctx.host.name}" is read only for references that spell ":443"; "${bare}" beside it covers the others.`,
            fix: { text: "Keep both only if both spellings are in use." },
          }
        : {
            severity: "warning",
            messageId: "port-443-only",
            headline: `Read only when an image reference spells out ":443"; one without the port never reads it`,
            why:
              `"${ctx.host.name}" is read only when an image reference or login spells ":443" (${bare}:443/app). ` +
              `"docker login ${bare}", "docker pull ${bare}/app" (and podman and containerd alike) look for "${bare}" and never see this directory, ` +
              `so the registry fails with x509: certificate signed by unknown authority.`,
            fix: {
              text: `Rename it to "${bare}":`,
              command: `mv ../${shellQuote(ctx.host.name)} ../${shellQuote(bare)}`,
            },
          },
    );
  },
});
