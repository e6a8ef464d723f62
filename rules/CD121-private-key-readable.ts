import { defineRule, HEADLINE_MAX } from "../src/engine/rule.js";
import { shellQuote } from "../src/facts/wording.js";
import type { Entry } from "../src/scan/types.js";
import { CERT_EXT, KEY_EXT } from "../src/scan/names.js";

/** Who besides the owner the mode lets at the file, in words. */
function audience(e: Entry): string {
  const group = e.group ?? (e.gid === undefined ? "its group" : `group ${e.gid}`);
  const groupText = e.group ? `the ${group} group` : group;
  if (e.mode & 0o007 && e.mode & 0o070) return `every local user (and ${groupText})`;
  if (e.mode & 0o007) return "every local user";
  return groupText;
}

function headline(long: string, mode: string): string {
  return long.length <= HEADLINE_MAX ? long : `A private key open to more than its owner (mode ${mode})`;
}

/**
 * A private key open to more than its owner. No runtime refuses it (none checks modes), so this is about the key, not
 * about a failure. A git work tree is left alone: git records only the executable bit, and a checkout's 0644 is the
 * umask, so a mode there says nothing about the file that will be deployed.
 */
export default defineRule({
  meta: {
    id: "CD121",
    name: "private-key-readable",
    severity: "warning",
    description: "A private key (.key, or a .cert holding one) that group or other users can read",
  },
  check(ctx, report) {
    if (ctx.host.gitWorkTree) return;
    for (const e of ctx.host.entries) {
      if (e.kind !== "file" || !(e.mode & 0o077)) continue;
      const isKey = e.name.endsWith(KEY_EXT);
      const m = e.name.endsWith(CERT_EXT) ? ctx.material(e) : undefined;
      if (!isKey && !m?.keys.length) continue;
      const who = audience(e);
      const mode = (e.mode & 0o777).toString(8).padStart(3, "0");
      const verbs = e.mode & 0o044 ? "read" : "modify";
      report({
        file: e.name,
        headline: headline(
          `${e.name} holds a private key that ${who.replace(/ \(.*\)$/, "")} can ${verbs} (mode ${mode})`,
          mode,
        ),
        why:
          `${e.name} is mode ${mode}${e.symlink ? ` (through the symlink, its target's)` : ""}: ${who} can ${verbs} ` +
          `it. Anyone who reads a client key can authenticate to the registry as its owner. No runtime checks ` +
          `the mode: they load it either way, as root.`,
        fix: { text: "Make it readable by its owner only:", command: `chmod 600 ${shellQuote(e.name)}` },
      });
    }
  },
});
