import { defineRule } from "../src/engine/rule.js";

export default defineRule({
  meta: {
    id: "CD109",
    name: "docker-hub-directory",
    severity: "warning",
    description: "A Docker Hub directory (docker.io, index.docker.io, registry-1.docker.io), which classic Docker does not read",
    runtimes: ["docker"],
  },
  check(ctx, report) {
    const name = ctx.host.name;
    if (name === "index.docker.io") {
      report({
        severity: "error",
        message:
          "index.docker.io is read by no client: dockerd builds Docker Hub's TLS settings without certs.d, and the containerd-based clients and podman look for docker.io. To trust a TLS-intercepting proxy for Hub, add its CA to the system trust store and restart dockerd.",
      });
    } else if (name === "docker.io") {
      report({
        message:
          "Classic dockerd (docker login, and pulls with the classic image store) never reads docker.io: Docker Hub's TLS settings come from the system trust store. Docker's containerd image store, BuildKit and podman do read it.",
      });
    } else if (name === "registry-1.docker.io") {
      report({
        message:
          "registry-1.docker.io is read only when an image reference names that host literally; references to Docker Hub (docker.io/..., or no registry at all) never use it.",
      });
    }
  },
});
