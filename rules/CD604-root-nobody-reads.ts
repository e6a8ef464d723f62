import { defineRule } from "../src/engine/rule.js";

// field-failures R02 (C08-C18), loader-semantics §3.1, §9.1, §11 item 35.
export default defineRule({
  meta: {
    id: "CD604",
    name: "root-nobody-reads",
    severity: "error",
    description:
      "A certs root no runtime on this host reads: a misspelt certs.d, or the right name in the wrong place for " +
      "the installed flavour (snap, k3s, RKE2, microk8s)",
  },
  check(ctx, report) {
    const root = ctx.system?.roots.find((r) => r.id === "unread" && r.realPath === ctx.host.root);
    if (!root) return;
    const reason = root.reader.replace(/^nobody \((.*)\)$/, "$1");
    const meant = /reads (\S+), not/.exec(reason)?.[1] ?? null;
    report({
      runtimes: [...ctx.checked],
      headline: `No runtime on this host reads ${root.path}`,
      why: `${reason.charAt(0).toUpperCase()}${reason.slice(1)}. The files here are never loaded; the verdicts below say what they would do in the right place.`,
      fix: { text: meant ? `Move ${ctx.host.name} into ${meant}` : `Rename the directory to certs.d` },
    });
  },
});
