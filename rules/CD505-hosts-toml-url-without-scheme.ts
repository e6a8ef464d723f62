import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
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
          messageId: "begins-with-http",
          headline: headline(`No scheme in ${clip(where, 50)}, and it begins with "http": it names no host`),
          why:
            `${where} has no scheme but begins with "http", ` +
            `so ${say(ctrd, "does", "do")} not add https:// and ` +
            `${ctrd.length === 1 ? "reads" : "read"} it as the URL "${e.url}", ` +
            `which names no host.`,
          fix: { text: `Write "https://${e.server}".` },
        });
      } else {
        report({
          file: "hosts.toml",
          runtimes: ctrd,
          messageId: "no-scheme",
          headline: headline(`No scheme in ${clip(where, 60)}: https:// is assumed`),
          why: `${where} has no scheme: ${say(ctrd, "assumes", "assume")} https:// (${e.url}).`,
          fix: {
            text:
              `Write the scheme out ("https://${e.server}", ` +
              `or "http://..." for a plain-HTTP mirror) so the file says what it means.`,
          },
        });
      }
    }
  },
});
