import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD605",
    name: "symlink-leaves-sysroot",
    severity: "warning",
    description:
      "Under --sysroot, a symbolic link whose target leaves the sysroot when followed literally: " +
      "certsd-lint follows it inside the sysroot, as the imaged machine would",
  },
  check(ctx, report) {
    if (!ctx.sysroot) return;
    const rootLinks = ctx.system?.escapes[ctx.host.root] ?? [];
    for (const l of rootLinks)
      report({
        messageId: "root",
        headline: `${l.path} links to ${l.target}, outside the sysroot`,
        why:
          "On the imaged machine the link resolves inside its own file system; on this one it would leave the " +
          "sysroot, so certsd-lint follows it inside the sysroot and reads nothing outside it.",
        fix: { text: "Check that the link's target exists in the image, or make the link relative inside it." },
      });
    for (const e of ctx.host.entries) {
      if (!e.leavesSysroot) continue;
      report({
        file: e.name,
        messageId: "entry",
        headline: `${e.name} links to ${e.linkTarget}, outside the sysroot`,
        why:
          "The runtime on the imaged machine reads the target in its own file system; certsd-lint looked it up " +
          `inside the sysroot${e.kind === "dangling-symlink" ? ", where it does not exist" : ""} and read nothing outside it.`,
        fix: {
          text:
            "Make sure the image ships the target at that path (that is what the machine will read), or replace " +
            "the link with the file itself.",
        },
      });
    }
  },
});
