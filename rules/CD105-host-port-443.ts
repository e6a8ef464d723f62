import path from "node:path";
import { existsSync } from "node:fs";
import { defineRule } from "../src/engine/rule.js";

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
    report({
      severity: sibling ? "info" : "warning",
      message: sibling
        ? `"${ctx.host.name}" is read only for references that spell ":443"; "${bare}" beside it covers the others. ` +
          `Keep both only if both spellings are in use.`
        : `"${ctx.host.name}" is read only when an image reference or login spells ":443" (${bare}:443/app). ` +
          `"docker login ${bare}", "docker pull ${bare}/app" (and podman and containerd alike) look for "${bare}" and never see this directory, ` +
          `so the registry fails with x509: certificate signed by unknown authority. ` +
          `Rename it to "${bare}".`,
    });
  },
});
