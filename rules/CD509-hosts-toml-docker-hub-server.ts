import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD509",
    name: "hosts-toml-docker-hub-server",
    severity: "warning",
    description:
      "docker.io/hosts.toml whose server is not https://registry-1.docker.io (Docker Hub's registry API lives there, " +
      "not at docker.io)",
    runtimes: ["containerd", "docker-containerd"],
  },
  check(ctx, report) {
    if (ctx.host.name !== "docker.io") return;
    const ctrd = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!ctrd.length) return;
    const server = ctx.runtimes[ctrd[0]!]!.hostsToml!.endpoints.at(-1)!;
    // containerd appends /v2 unless the path already ends in it (loader-semantics §9): .../v2 is the same API, and
    // what k3s and RKE2 write for docker.io (k3s config.go getHostConfigs, default endpoint).
    if (server.server === "" || /^https:\/\/registry-1\.docker\.io(\/v2)?\/?$/.test(server.server)) return;
    report({
      file: "hosts.toml",
      runtimes: ctrd,
      headline: headline(
        `Fallback server ${clip(server.server, 40)} is not Docker Hub's registry API (https://registry-1.docker.io)`,
      ),
      why:
        `server = "${server.server}" in docker.io/hosts.toml: ` +
        `${say(ctrd, "falls", "fall")} back to it when every mirror fails, ` +
        `and Docker Hub's registry API is at https://registry-1.docker.io, not ${server.url.replace(/\/v2$/, "")}.`,
      fix: { text: 'Write server = "https://registry-1.docker.io" (or leave server out: that is the default).' },
    });
  },
});
