import { defineRule } from "../src/engine/rule.js";
import { isUrlPiece } from "../src/facts/host-name.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";

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
      report({
        message:
          `"${name}" is not a registry: \`mkdir -p certs.d/${scheme}://${first}\` made a directory "${name}" with "${first}" inside it. ` +
          `${say(rt, "looks", "look")} for certs.d/${first} and ${verb(rt, "finds", "find")} nothing; ` +
          `nothing is read below a host directory. ` +
          `Move it up: \`mv certs.d/${name}/${first} certs.d/\`, ` +
          `and name directories host[:port] without a scheme.`,
      });
    } else {
      const rest = name.slice(scheme.length + 1);
      report({
        message:
          `"${name}" carries a URL scheme; ` +
          `directories are named host[:port] exactly as image references spell the registry, with no scheme. ` +
          `${say(rt, "never looks", "never look")} here.` +
          `${rest ? ` Rename it to "${rest.replace(/^\/+/, "")}".` : ""}`,
      });
    }
  },
});
