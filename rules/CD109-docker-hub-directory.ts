import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";

export default defineRule({
  meta: {
    id: "CD109",
    name: "docker-hub-directory",
    severity: "warning",
    description:
      "A Docker Hub directory (docker.io, index.docker.io, registry-1.docker.io) some or all clients never read",
  },
  check(ctx, report) {
    const name = ctx.host.name;
    if (name === "index.docker.io") {
      report({
        severity: "error",
        messageId: "index-docker-io",
        headline: "index.docker.io is read by no client",
        why:
          "dockerd builds Docker Hub's TLS settings without certs.d, " +
          "and the containerd-based clients and podman look for docker.io.",
        fix: {
          text:
            "To trust a TLS-intercepting proxy for Hub, put its CA in docker.io/ (containerd, " +
            "podman) and in the system trust store (dockerd).",
        },
      });
    } else if (name === "docker.io" && ctx.runtimes.docker) {
      const others = checked(ctx).filter((r) => r !== "docker");
      report({
        runtimes: ["docker"],
        messageId: "docker-io-classic",
        headline: "Classic dockerd never reads docker.io",
        why:
          `Classic dockerd (docker login, ` +
          `and pulls with the classic image store) never reads docker.io: ` +
          `Docker Hub's TLS settings come from the system trust store.` +
          `${others.length ? ` ${say(others, "does read", "do read")} it.` : ""}`,
      });
    } else if (name === "registry-1.docker.io") {
      report({
        messageId: "registry-1",
        headline: "registry-1.docker.io is read only when a reference names that host literally",
        why:
          "registry-1.docker.io is read only when an image reference names that host literally; " +
          "references to Docker Hub (docker.io/..., or no registry at all) never use it.",
      });
    }
  },
});
