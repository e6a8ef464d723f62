import { defineRule } from "../src/engine/rule.js";

// containerd internal/cri/server/images/image_pull.go hostDirFromRoots (v2.2): each config_path root in turn,
// stopping at the first that yields host_port_, host or _default (loader-semantics §9.1, §11 item 34).
export default defineRule({
  meta: {
    id: "CD602",
    name: "containerd-default-shadows",
    severity: "warning",
    description:
      "A host directory in a later config_path root that containerd CRI never reads: an earlier root's " +
      "directory for it (often _default) wins",
    runtimes: ["containerd"],
  },
  check(ctx, report) {
    const winner = ctx.system?.containerdShadowed[ctx.host.path];
    if (!winner) return;
    const isDefault = winner.endsWith("/_default");
    report({
      messageId: isDefault ? "default" : "host",
      headline: `containerd CRI reads ${winner} for ${ctx.host.name}, never this directory`,
      why:
        `containerd's CRI tries the config_path roots in order and stops at the first that has ` +
        `${ctx.host.name.includes(":") ? "host_port_, " : ""}the host's directory or _default ` +
        `(hostDirFromRoots)${isDefault ? ": a _default in an earlier root hides every host in later roots" : ""}.`,
      fix: {
        text: isDefault
          ? `Give ${ctx.host.name} its own directory beside ${winner}, or remove that _default`
          : `Keep one directory for ${ctx.host.name}: merge this one into ${winner}`,
      },
    });
  },
});
