import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD505",
    name: "hosts-toml-url-without-scheme",
    severity: "warning",
    description:
      "A server or [host] URL in hosts.toml without http:// or https://: https is assumed, " +
      'and names beginning with "http" are misread',
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    const ctrd = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!ctrd.length) return;
    for (const e of ctx.runtimes[ctrd[0]!]!.hostsToml!.endpoints) {
      if (e.server === "" || /^https?:\/\//i.test(e.server)) continue;
      const where =
        e === ctx.runtimes[ctrd[0]!]!.hostsToml!.endpoints.at(-1) ? `server = "${e.server}"` : `[host."${e.server}"]`;
      if (e.server.startsWith("http")) {
        report({
          file: "hosts.toml",
          severity: "error",
          runtimes: ctrd,
          message:
            `${where} has no scheme but begins with "http", ` +
            `so ${say(ctrd, "does", "do")} not add https:// and ` +
            `${ctrd.length === 1 ? "reads" : "read"} it as the URL "${e.url}", ` +
            `which names no host. Write "https://${e.server}".`,
        });
      } else {
        report({
          file: "hosts.toml",
          runtimes: ctrd,
          message:
            `${where} has no scheme: ${say(ctrd, "assumes", "assume")} https:// (${e.url}). ` +
            `Write the scheme out ("https://${e.server}", ` +
            `or "http://..." for a plain-HTTP mirror) so the file says what it means.`,
        });
      }
    }
  },
});
