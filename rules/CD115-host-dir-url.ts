import { defineRule } from "../src/engine/rule.js";
import { isUrlPiece } from "../src/facts/host-name.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD115",
    name: "host-dir-url",
    severity: "error",
    description: "A directory made from a URL (certs.d/https:/registry.example.com:5000): no runtime looks there",
  },
  check(ctx, report) {
    const name = ctx.host.name;
    if (!isUrlPiece(name)) return;
    const rt = checked(ctx);
    const inside = ctx.host.entries.filter((e) => e.kind === "directory").map((e) => e.name);
    const scheme = name.replace(/:.*$/, "");
    if (inside.length) {
      const first = inside[0]!;
      // From inside this directory: move the registry's directory up and remove the emptied one.
      const movable = ctx.host.entries.length === 1 && !ctx.host.siblings.includes(first);
      report({
        messageId: "scheme-directory",
        headline: "Not a registry: a URL scheme made into a directory, with the registry's inside it",
        why:
          `"${name}" is not a registry: \`mkdir -p certs.d/${scheme}://${first}\` made a directory "${name}" with "${first}" inside it. ` +
          `${say(rt, "looks", "look")} for certs.d/${first} and ${verb(rt, "finds", "find")} nothing; ` +
          `nothing is read below a host directory.`,
        fix: movable
          ? {
              text: `Move ${first} up a level, and name directories host[:port] without a scheme:`,
              command: `mv ${shellQuote(first)} .. && cd .. && rmdir ${shellQuote(name)}`,
            }
          : { text: `Move ${first} up a level, and name directories host[:port] without a scheme.` },
      });
    } else {
      const rest = name.slice(scheme.length + 1).replace(/^\/+/, "");
      report({
        messageId: "scheme-in-name",
        headline: "Carries a URL scheme: no runtime looks here",
        why:
          `"${name}" carries a URL scheme; ` +
          `directories are named host[:port] exactly as image references spell the registry, with no scheme. ` +
          `${say(rt, "never looks", "never look")} here.`,
        fix: !rest
          ? { text: "Name directories host[:port], without a scheme." }
          : ctx.host.siblings.includes(rest)
            ? { text: `Rename it to "${rest}" (a "${rest}" is already there: merge the two).` }
            : { text: `Rename it to "${rest}":`, command: `mv ../${shellQuote(name)} ../${shellQuote(rest)}` },
      });
    }
  },
});
