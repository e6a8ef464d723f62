import { referenceNameProblem } from "../src/facts/host-name.js";
import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import type { FixAdvice } from "../src/engine/rule.js";
import { containerdOnlyName } from "../src/runtimes/host-names.js";
import { isUrlPiece } from "../src/facts/host-name.js";

export default defineRule({
  meta: {
    id: "CD116",
    name: "host-dir-name-unmatchable",
    severity: "error",
    description:
      "A host directory name no image reference can produce: a trailing dot, whitespace, a bad port, " +
      "the port as a subdirectory, upper case",
  },
  check(ctx, report) {
    const name = ctx.host.name;
    if (isUrlPiece(name) || containerdOnlyName(name)) return; // CD115, CD112
    const rt = checked(ctx);
    const never =
      `${say(rt, "looks", "look")} a registry's directory up by the name as the image reference spells it, ` +
      `byte for byte, and ${verb(rt, "never finds", "never find")} this one`;
    // Renaming the host directory, from inside it, when the new name is free.
    const rename = (to: string): FixAdvice =>
      ctx.host.siblings.includes(to)
        ? { text: `Rename it to "${to}" (a "${to}" is already there: merge the two).` }
        : { text: `Rename it to "${to}":`, command: `mv ../${shellQuote(name)} ../${shellQuote(to)}` };
    const p = referenceNameProblem(name);
    if (p) {
      switch (p.kind) {
        case "whitespace":
          report({
            messageId: p.kind,
            headline: "Contains white space, which no image reference can",
            why: `"${name}" contains white space, which no image reference can: ${never}.`,
            fix: rename(p.suggestion),
          });
          return;
        case "trailing-dot":
          report({
            messageId: p.kind,
            headline: "Ends in a dot, which no image reference can",
            why: `"${name}" ends in a dot; an image reference cannot (docker pull says "invalid reference format"): ${never}.`,
            fix: rename(p.suggestion),
          });
          return;
        case "bad-port":
          report({
            messageId: p.kind,
            headline: "The part after the colon is not a port number",
            why: `"${name}": the part after the colon must be a port number, and "${p.port}" is not: ${never}.`,
          });
          return;
        case "bare-ipv6":
          report({
            messageId: p.kind,
            headline: "An IPv6 address without brackets; references write [address]:port",
            why: `"${name}" looks like an IPv6 address without brackets; references write [address]:port: ${never}.`,
            fix: rename(p.suggestion),
          });
          return;
        case "bad-character":
          report({
            messageId: p.kind,
            headline: `Contains "${p.character}", which a registry name in an image reference cannot`,
            why: `"${name}" contains "${p.character}", which a registry name in an image reference cannot: ${never}.`,
          });
          return;
        case "empty-label":
          report({
            messageId: p.kind,
            headline: "An empty label (two dots, or a leading dot), which no image reference can have",
            why: `"${name}" has an empty label (two dots, or a leading dot): ${never}.`,
          });
          return;
        case "uppercase":
          report({
            severity: "warning",
            messageId: p.kind,
            headline: "Upper-case letters: image references, nearly always lower case, never read it",
            why:
              `"${name}" has upper-case letters. ` +
              `${say(rt, "looks", "look")} the directory up by the registry name exactly as the image reference writes it, ` +
              `and references are nearly always lower case: "${p.suggestion}/app" never reads "${name}".`,
            fix: rename(p.suggestion),
          });
          return;
      }
    }
    // registry.example.com/5000/: the port as a subdirectory.
    const ports = ctx.host.entries.filter((e) => e.kind === "directory" && /^\d{1,5}$/.test(e.name));
    if (ports.length && !name.includes(":")) {
      const port = ports[0]!.name;
      const target = `${name}:${port}`;
      report({
        file: port,
        messageId: "port-subdirectory",
        headline: "The port as a subdirectory: the port belongs in the directory name",
        why:
          `${name}/${port}/ puts the port in a subdirectory; the port belongs in the directory name: "${target}". ` +
          `Nothing is read below a host directory, so ${say(rt, "finds", "find")} nothing for ${target}.`,
        fix: ctx.host.siblings.includes(target)
          ? { text: `Move its files into ${target} (a "${target}" is already there).` }
          : { text: `Move it to ${target}:`, command: `mv ${shellQuote(port)} ../${shellQuote(target)}` },
      });
    }
  },
});
