import { defineRule } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, checked } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD503",
    name: "hosts-toml-switches-off-legacy",
    severity: "warning",
    description:
      "A valid hosts.toml beside Docker-style .crt/.cert/.key files that it does not name: " +
      "containerd ignores them",
  },
  check(ctx, report) {
    const ctrd = checked(ctx, CONTAINERD_FAMILY).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!ctrd.length) return;
    const off = ctx.host.entries
      .filter((e) => ctx.runtimes[ctrd[0]!]!.ignored.some((i) => i.file === e.name && i.reason === "hosts-toml"))
      .map((e) => e.name);
    if (!off.length) return;
    const state = ctx.runtimes[ctrd[0]!]!.hostsToml!;
    const namesAny = state.endpoints.some((e) => e.ca.length || e.client.length);
    const classic = checked(ctx, CLASSIC);
    const alsoClassic = classic.length
      ? ` ${say(classic, "ignores", "ignore")} hosts.toml and ` +
        `${classic.length === 1 ? "reads" : "read"} exactly these files, ` +
        `so the two families trust different things.`
      : "";
    report({
      file: "hosts.toml",
      severity: namesAny ? "warning" : "error",
      runtimes: ctrd,
      messageId: namesAny ? "files-not-named" : "names-no-file",
      headline: headline(
        `Valid hosts.toml in charge: ${off.length === 1 ? `${clip(off[0]!)} is` : `${off.length} Docker-style files are`} ignored` +
          (namesAny ? ", as it does not name them" : "; it names no ca or client file at all"),
      ),
      why:
        `A valid hosts.toml is in charge here: ${say(ctrd, "loads", "load")} only the files it names, ` +
        `and ${off.join(", ")} ${off.length === 1 ? "is" : "are"} ignored${namesAny ? "" : "; it names no ca or client file at all, so no CA and no client certificate from this directory is used"}.` +
        alsoClassic,
      fix: {
        text: 'Name them in hosts.toml (ca = "ca.crt", client = [["client.cert", "client.key"]]) or remove them.',
      },
    });
  },
});
