import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD117",
    name: "empty-host-directory",
    severity: "warning",
    description:
      "An empty host directory: nothing is loaded, " +
      "and for podman it still hides the same host's directory in later search roots",
  },
  check(ctx, report) {
    if (ctx.host.entries.length || ctx.host.listError) return;
    const rt = checked(ctx).filter((r) => ctx.runtimes[r]?.status !== "not-read");
    if (!rt.length) return;
    const podman = rt.includes("podman")
      ? " For podman, skopeo and buildah it is worse than absent: " +
        "the first existing directory for a host wins (~/.config/containers/certs.d, then /etc/containers/certs.d, " +
        "then /etc/docker/certs.d), so an empty one hides a populated one further down the list."
      : "";
    report({
      headline: "Empty host directory: no CA and no client certificate is loaded",
      why:
        `${ctx.host.name} is empty: ${say(rt, "finds", "find")} no CA and no client certificate in it and ` +
        `${verb(rt, "checks", "check")} the registry against the system CAs only.${podman}`,
      fix: { text: "Add the registry's CA (ca.crt) and client pair, or delete the directory." },
    });
  },
});
