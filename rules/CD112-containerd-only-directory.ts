import { defineRule } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import { containerdHostOf, containerdOnlyName, containerdPortDir } from "../src/runtimes/host-names.js";

export default defineRule({
  meta: {
    id: "CD112",
    name: "containerd-only-directory",
    severity: "warning",
    description:
      "containerd's directory spellings (host_port_, _default): read by the containerd family only, " +
      "and they take precedence",
  },
  check(ctx, report) {
    const name = ctx.host.name;
    const classic = checked(ctx, CLASSIC);
    const ctrd = checked(ctx, CONTAINERD_FAMILY);
    const spelling = containerdOnlyName(name);
    if (spelling && name === "_default") {
      if (ctrd.length) {
        report({
          severity: "info",
          runtimes: ctrd,
          messageId: "default-catch-all",
          headline: "Catch-all for every registry without a directory of its own (containerd family only)",
          why:
            `_default applies to every registry without a directory of its own: ` +
            `${say(ctrd, "uses", "use")} its files for all of them.` +
            `${classic.length ? ` ${say(classic, "never reads", "never read")} it.` : ""}`,
        });
      } else if (classic.length) {
        report({
          runtimes: classic,
          messageId: "default-not-read",
          headline: `_default is containerd's catch-all; ${say(classic, "never reads", "never read")} it`,
          why: `_default is containerd's catch-all, for every registry without a directory of its own; ${say(classic, "never reads", "never read")} it.`,
        });
      }
      return;
    }
    if (spelling) {
      const host = containerdHostOf(name);
      if (classic.length) {
        report({
          runtimes: classic,
          messageId: "containerd-spelling",
          headline: `A containerd-only spelling of the host name: ${say(classic, "never reads", "never read")} it`,
          why:
            `"${name}" is containerd's spelling of ${host}: ` +
            `${say(classic, "looks", "look")} for "${host}" and ` +
            `${classic.length === 1 ? "never reads" : "never read"} this directory.` +
            `${ctrd.length ? ` ${say(ctrd, "reads", "read")} it, before any "${host}" directory.` : ""}`,
        });
      }
      return;
    }
    const portDir = containerdPortDir(name);
    if (portDir && name.includes(":") && ctx.host.siblings.includes(portDir) && ctrd.length) {
      report({
        runtimes: ctrd,
        messageId: "shadowed",
        headline: "Shadowed for the containerd family by its host_port_ spelling beside it",
        why:
          `"${portDir}" exists beside "${name}" for the same registry: ` +
          `${say(ctrd, "reads", "read")} "${portDir}" and ${ctrd.length === 1 ? "ignores" : "ignore"} this one${classic.length ? `, while ${say(classic, "reads", "read")} only this one` : ""}.`,
        fix: { text: "Keep one of them." },
      });
    }
  },
});
