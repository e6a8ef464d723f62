import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import { goExt, LIVE_EXTENSIONS } from "../src/scan/names.js";
import { hostLikeName, looksLikeMaterialName } from "../src/scan/names.js";
import { isUrlPiece } from "../src/facts/host-name.js";

export default defineRule({
  meta: {
    id: "CD119",
    name: "subdirectory-ignored",
    severity: "info",
    description:
      "A subdirectory in a host directory: " +
      "nothing is read recursively (a nested copy of the host directory is a warning)",
  },
  check(ctx, report) {
    if (isUrlPiece(ctx.host.name)) return; // CD115
    const rt = checked(ctx);
    for (const entry of ctx.host.entries) {
      if (entry.kind !== "directory" || LIVE_EXTENSIONS.includes(goExt(entry.name))) continue; // a directory named *.crt: CD107
      if (/^\d{1,5}$/.test(entry.name) && !ctx.host.name.includes(":")) continue; // host/5000: CD116
      const material = (entry.children ?? []).filter((c) => looksLikeMaterialName(c));
      const nested = hostLikeName(entry.name);
      if (nested && material.length) {
        report({
          file: entry.name,
          severity: "warning",
          messageId: "nested-host-directory",
          headline: "A copy of a host directory made inside this one: nothing in it is read",
          why:
            `${entry.name}/ inside ${ctx.host.name}/ holds ${material.join(", ")}: ` +
            `it looks like a copy of a host directory made into it (\`cp -r\` onto an existing directory does that). ` +
            `${say(rt, "reads", "read")} only the files directly in ${ctx.host.name}/, never below.`,
          fix: { text: "Move the files up a level." },
        });
      } else if (material.length) {
        report({
          file: entry.name,
          messageId: "material-below",
          headline: "A subdirectory holding certificate files, which no runtime reads",
          why:
            `${entry.name}/ holds ${material.join(", ")}, ` +
            `which no runtime reads: nothing below a host directory is loaded.`,
          fix: { text: "Move what should be used up a level, or leave it as an archive." },
        });
      } else {
        report({
          file: entry.name,
          messageId: "directory",
          headline: "A directory: no runtime looks inside it",
          why: `${entry.name}/ is a directory: no runtime looks inside it, as nothing below a host directory is loaded.`,
        });
      }
    }
  },
});
