import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";

/** host.toml, hosts.tml, Hosts.toml, hosts.toml.txt, hosts.yaml, hosts.toml~ ... (not hosts.toml itself). */
function looksLikeHostsToml(name: string): boolean {
  if (name === "hosts.toml") return false;
  const lower = name.toLowerCase();
  return (
    /^hosts?[._-]?(toml|tml|toml\.[a-z~]+|yaml|yml|json|conf)~?$/.test(lower) ||
    lower === "hosts.toml" ||
    /^hosts\.toml[.~]/.test(lower)
  );
}

export default defineRule({
  meta: {
    id: "CD508",
    name: "hosts-toml-misnamed",
    severity: "error",
    description:
      "A containerd host configuration under another name (host.toml, hosts.tml, Hosts.toml, " +
      "hosts.yaml): containerd reads hosts.toml only",
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    const ctrd = checked(ctx);
    if (!ctrd.length) return;
    for (const entry of ctx.host.entries) {
      if (entry.kind !== "file" || !looksLikeHostsToml(entry.name)) continue;
      const taken = !!ctx.entry("hosts.toml");
      const present = taken ? " (a hosts.toml is here too: only that one counts)" : "";
      report({
        file: entry.name,
        runtimes: ctrd,
        headline: 'Not named hosts.toml: containerd reads exactly "hosts.toml" and ignores this file',
        why:
          `${entry.name} is not hosts.toml: ` +
          `${say(ctrd, "reads", "read")} exactly "hosts.toml" and ` +
          `${verb(ctrd, "ignores", "ignore")} this file without a word${present}.`,
        fix: taken
          ? { text: "Rename it to hosts.toml (a hosts.toml is already there: merge the two)." }
          : { text: "Rename it to hosts.toml:", command: `mv ${shellQuote(entry.name)} hosts.toml` },
      });
    }
  },
});
