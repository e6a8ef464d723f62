import { defineRule } from "../src/engine/rule.js";
import { CONTAINERD_FAMILY, checked } from "../src/facts/verdicts.js";
import { capitalise, say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD510",
    name: "hosts-toml-ignored-by-classic",
    severity: "info",
    description:
      "A hosts.toml where Docker's classic loader or podman also read the directory: " +
      "they ignore it and read only the .crt/.cert/.key files",
    runtimes: ["docker", "podman"],
  },
  check(ctx, report) {
    const toml = ctx.entry("hosts.toml");
    if (!toml || toml.kind === "directory") return; // a directory named hosts.toml: CD511
    const classic = checked(ctx).filter((r) => ctx.runtimes[r]?.status !== "not-read");
    if (!classic.length) return;
    const ctrd = ctx.others.filter((r) => CONTAINERD_FAMILY.includes(r));
    report({
      file: "hosts.toml",
      runtimes: classic,
      headline: `${capitalise(say(classic, "ignores", "ignore"))} this file and ${classic.length === 1 ? "reads" : "read"} only the Docker-style files here`,
      why:
        `${say(classic, "ignores", "ignore")} hosts.toml and ${classic.length === 1 ? "reads" : "read"} only the Docker-style files here${ctrd.length ? `, while ${say(ctrd, "follows", "follow")} hosts.toml` : ""}: ` +
        `its mirrors, ca and client settings do not apply to docker login, classic-store pulls or podman.`,
      fix: { text: "Keep the Docker-style files complete if those must work too." },
    });
  },
});
