import { defineRule } from "../src/engine/rule.js";
import { CONTAINERD_FAMILY } from "../src/facts/verdicts.js";
import { say } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";

/**
 * `hosts.toml` is a directory. containerd's loadHostDir (core/remotes/docker/config/hosts.go, v1.6.20 line 267 and
 * 301026e58c line 316) does `os.ReadFile(filepath.Join(hostsDir, "hosts.toml"))` and returns any error other than
 * "not exist" unwrapped; ConfigureHosts returns it as is. On a directory Go's os.ReadFile opens it and its read fails
 * with EISDIR: `read <path>/hosts.toml: is a directory`. So containerd does not fall back to the Docker-style files:
 * every operation for the registry fails. Docker classic (moby registry/registry.go ReadCertsDirectory) and
 * containers/image (pkg/tlsclientconfig SetupCertificates) look only at names ending in .crt, .cert and .key.
 */
export default defineRule({
  meta: {
    id: "CD511",
    name: "hosts-toml-is-directory",
    severity: "error",
    description: "hosts.toml is a directory: containerd fails to read it and stops, it does not fall back",
    runtimes: ["containerd", "docker-containerd"],
    programText: { containerd: "read <path>: is a directory" },
  },
  check(ctx, report) {
    const toml = ctx.entry("hosts.toml");
    if (toml?.kind !== "directory") return;
    const errors: Partial<Record<RuntimeId, string>> = {};
    for (const r of ctx.checked) {
      const v = ctx.verdict(r, "hosts.toml");
      if (CONTAINERD_FAMILY.includes(r) && v?.error && /: is a directory$/.test(v.error)) errors[r] = v.error;
    }
    const failing = Object.keys(errors) as RuntimeId[];
    if (!failing.length) return;
    const inside = toml.children?.length ? ` It holds ${toml.children.join(", ")}.` : " It is empty.";
    const inner = toml.children?.length === 1 && toml.children[0] === "hosts.toml" && !toml.symlink;
    report({
      file: "hosts.toml",
      headline: `hosts.toml is a directory${toml.symlink ? " (through a symlink)" : ""}, not a file`,
      why:
        `${say(failing, "reads", "read")} hosts.toml before anything else here, and a read error other than ` +
        `"does not exist" is not a reason to fall back to the Docker-style files: every pull and push for this ` +
        `registry fails.${inside} Docker's classic store and podman ignore it (they read only .crt, .cert and .key ` +
        `files). A bind mount of a file that did not exist yet on the host (\`-v ./hosts.toml:...\`) makes such a ` +
        `directory.`,
      fix: inner
        ? {
            text: "Move the hosts.toml inside it up in its place:",
            command: `mv hosts.toml hosts.toml.d && mv hosts.toml.d/hosts.toml hosts.toml && rmdir hosts.toml.d`,
          }
        : toml.children?.length === 0 && !toml.symlink
          ? {
              text: "Remove the empty directory, or replace it with the hosts.toml you meant:",
              command: "rmdir hosts.toml",
            }
          : { text: "Replace it with a hosts.toml file, or move it away if the Docker-style files should be used" },
      runtimeErrors: errors,
    });
  },
});
