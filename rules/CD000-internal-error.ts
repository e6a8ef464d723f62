import { defineRule } from "../src/engine/rule.js";

/**
 * Reported by the engine (src/engine/lint.ts), not by a check: decoding a host directory's files or modelling a
 * runtime threw. A rule that throws gets a fatal finding under its own id instead. Either way the run goes on with
 * the other rules and host directories, and exits 2.
 */
export default defineRule({
  meta: {
    id: "CD000",
    name: "internal-error",
    severity: "error",
    description: "certsd-lint itself failed on a host directory (decoding or a runtime model threw): its verdict there is unknown",
    runtimes: ["docker", "podman", "docker-containerd", "containerd"],
  },
  check() {},
});
