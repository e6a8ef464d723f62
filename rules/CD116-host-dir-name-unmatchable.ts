import { referenceNameProblem } from "../src/facts/host-name.js";
import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
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
    const p = referenceNameProblem(name);
    if (p) {
      switch (p.kind) {
        case "whitespace":
          report({
            message:
              `"${name}" contains white space, which no image reference can: ${never}. ` +
              `Rename it to "${p.suggestion}".`,
          });
          return;
        case "trailing-dot":
          report({
            message:
              `"${name}" ends in a dot; an image reference cannot (docker pull says "invalid reference format"): ${never}. ` +
              `Rename it to "${p.suggestion}".`,
          });
          return;
        case "bad-port":
          report({
            message: `"${name}": the part after the colon must be a port number, and "${p.port}" is not: ${never}.`,
          });
          return;
        case "bare-ipv6":
          report({
            message:
              `"${name}" looks like an IPv6 address without brackets; references write [address]:port: ${never}. ` +
              `Rename it to "${p.suggestion}".`,
          });
          return;
        case "bad-character":
          report({
            message: `"${name}" contains "${p.character}", which a registry name in an image reference cannot: ${never}.`,
          });
          return;
        case "empty-label":
          report({ message: `"${name}" has an empty label (two dots, or a leading dot): ${never}.` });
          return;
        case "uppercase":
          report({
            severity: "warning",
            message:
              `"${name}" has upper-case letters. ` +
              `${say(rt, "looks", "look")} the directory up by the registry name exactly as the image reference writes it, ` +
              `and references are nearly always lower case: "${p.suggestion}/app" never reads "${name}". ` +
              `Rename it to "${p.suggestion}".`,
          });
          return;
      }
    }
    // registry.example.com/5000/: the port as a subdirectory.
    const ports = ctx.host.entries.filter((e) => e.kind === "directory" && /^\d{1,5}$/.test(e.name));
    if (ports.length && !name.includes(":")) {
      const port = ports[0]!.name;
      report({
        file: port,
        message:
          `${name}/${port}/ puts the port in a subdirectory; the port belongs in the directory name: "${name}:${port}". ` +
          `Nothing is read below a host directory, so ${say(rt, "finds", "find")} nothing for ${name}:${port}. ` +
          `Move it: \`mv certs.d/${name}/${port} certs.d/${name}:${port}\`.`,
      });
    }
  },
});
