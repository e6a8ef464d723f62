import { defineRule } from "../src/engine/rule.js";

// containerd internal/cri/server/images/image_pull.go:328 hands the raw config_path to the transfer service,
// whose core/transfer/registry/registry.go:128,360 takes it as one directory (containerd#12808; §9.1, §11 item 34).
export default defineRule({
  meta: {
    id: "CD606",
    name: "config-path-list-transfer",
    severity: "error",
    description:
      "containerd CRI's config_path is a path list while pulls go through the transfer service, " +
      "which takes it as one directory: every host directory is ignored",
    runtimes: ["containerd"],
  },
  check(ctx, report) {
    const s = ctx.system;
    if (!s?.containerdTransferIgnoresList || !s.containerdRoots.includes(ctx.host.root)) return;
    report({
      headline: "CRI pulls through the transfer service ignore this directory: config_path is a path list",
      why:
        "Since v2.1 CRI pulls go through the transfer service (use_local_image_pull = false), which resolves " +
        "config_path as a single directory; a list such as v2.2's default names no existing directory, so " +
        "hosts.toml and the certificates here are silently ignored (containerd#12808). nerdctl and local pulls " +
        "split the list correctly.",
      fix: {
        // A version 2 file keeps CRI's registry settings under io.containerd.grpc.v1.cri (migrated at load).
        text:
          s.containerdConfigVersion === 2
            ? 'Set config_path to one directory under [plugins."io.containerd.grpc.v1.cri".registry] ' +
              "(this config.toml's version 2 layout), then restart containerd"
            : 'Set config_path to one directory under [plugins."io.containerd.cri.v1.images".registry], or ' +
              "use_local_image_pull = true, then restart containerd",
      },
    });
  },
});
