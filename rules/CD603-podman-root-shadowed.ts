import { defineRule } from "../src/engine/rule.js";

// containers/image docker/docker_client.go dockerCertDir: the first existing <root>/<host> among
// ~/.config/containers/certs.d, /etc/containers/certs.d, /etc/docker/certs.d wins, with no merging (§8.1, §11 item 33).
export default defineRule({
  meta: {
    id: "CD603",
    name: "podman-root-shadowed",
    severity: "warning",
    description:
      "A host directory containers/image never reads because the same host's directory exists in an earlier " +
      "search root (an error when that winner is empty)",
    runtimes: ["podman"],
  },
  check(ctx, report) {
    const shadow = ctx.system?.podmanShadowed[ctx.host.path];
    if (!shadow) return;
    const populated = ctx.host.entries.length > 0;
    if (shadow.notDirectory) {
      // tlsclientconfig.SetupCertificates: os.ReadDir on the winner fails, and so does every pull.
      const text = `readdirent ${shadow.winner}: not a directory`;
      report({
        severity: "error",
        messageId: "winner-not-a-directory",
        headline: `podman stops at ${shadow.winner}, a file, instead of reading this directory`,
        why:
          "containers/image (podman, skopeo, buildah, CRI-O) uses the first of ~/.config/containers/certs.d/<host>, " +
          "/etc/containers/certs.d/<host> and /etc/docker/certs.d/<host> that exists; that one is not a directory, so " +
          `listing it fails and every pull with it ("${text}").`,
        runtimeErrors: { podman: text },
        fix: { text: `Remove the file ${shadow.winner}, so that podman reads this directory` },
      });
      return;
    }
    report({
      severity: shadow.empty && populated ? "error" : "warning",
      messageId: shadow.empty ? "empty-winner" : "shadowed",
      headline: shadow.empty
        ? `podman uses the empty ${shadow.winner} instead of this directory`
        : `podman uses ${shadow.winner} instead of this directory`,
      why:
        "containers/image (podman, skopeo, buildah, CRI-O) uses the first of ~/.config/containers/certs.d/<host>, " +
        "/etc/containers/certs.d/<host> and /etc/docker/certs.d/<host> that exists, and never merges them" +
        (shadow.empty ? ": an empty one means no CA and no client certificate at all." : "."),
      fix: {
        text: shadow.empty
          ? `Remove the empty ${shadow.winner}, or copy the files here into it`
          : `Keep the files for ${ctx.host.name} in ${shadow.winner} only`,
      },
    });
  },
});
