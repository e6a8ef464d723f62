import { defineRule } from "../src/engine/rule.js";
import { endpointMachine } from "../src/host/engine-context.js";
import type { DockerEngineContext, PodmanEngineContext } from "../src/runtimes/engines.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { goExt } from "../src/scan/names.js";

/** The KNOWN_ROOTS ids of the roots a dockerd reads, and containers/image (src/runtimes/roots.ts). */
const DOCKER_ROOTS = ["docker", "docker-rootless", "docker-desktop", "docker-snap"];
const PODMAN_ROOTS = ["docker", "containers", "containers-user"];

/** podman sent elsewhere: a connection to another machine or a VM (a local unix socket is this machine's service). */
function podmanAway(p: PodmanEngineContext): boolean {
  return p.remote && p.error === null && p.uri !== null && (p.isMachine || !p.uri.startsWith("unix://"));
}

function podmanFinding(p: PodmanEngineContext, rootPath: string, host: string) {
  const via = p.connection
    ? `connection ${p.connection} (${p.uri}${p.connectionSource ? `, from ${p.connectionSource}` : ""})`
    : p.uri;
  const machine = endpointMachine(p.uri ?? "");
  return {
    messageId: p.isMachine ? "podman-machine-connection" : "podman-remote",
    runtimes: ["podman"] as RuntimeId[],
    headline: p.isMachine
      ? `podman pull runs in a podman machine's VM: it never reads ${rootPath}`
      : `podman pull runs on the service at ${machine}: it never reads ${rootPath}`,
    why:
      `${p.source} sends podman of ${p.home} to ${via} (podman's IsRemote); the podman service there pulls with ` +
      `containers/image, which reads the certs.d roots of its own machine, never these files.`,
    fix: {
      text: p.isMachine
        ? `Put ${host} inside the VM: podman machine ssh${p.connection && !/^podman-machine-default(-root)?$/.test(p.connection) ? ` ${p.connection.replace(/-root$/, "")}` : ""}, then create /etc/containers/certs.d/${host} there (with sudo) and copy the files into it; or unset ${p.source} to pull with this machine's podman`
        : `Put ${host} on ${machine}, in /etc/containers/certs.d/${host} (a rootless service: ~/.config/containers/certs.d/${host} of its user); or unset ${p.source} to pull with this machine's podman`,
    },
  };
}

/** Whether the engine behind a context reads this root (home: the root's user, for the per-user roots). */
function reads(e: DockerEngineContext, rootId: string, rootPath: string): boolean {
  const own = rootPath.startsWith(`${e.home}/`);
  switch (e.kind) {
    case "local":
    case "unknown":
      // The default context, or an endpoint certsd-lint cannot place: a shell may still set DOCKER_HOST (rootless
      // setups do), so nothing is known to be unread.
      return true;
    case "rootless":
      return rootId === "docker-rootless" && own;
    case "desktop":
      return rootId === "docker-desktop" && own;
    default:
      return false;
  }
}

function engineWords(e: DockerEngineContext): string {
  const via = e.context === "default" ? e.contextSource : `context ${e.context}, ${e.contextSource}`;
  return `${e.host} (${via})`;
}

/** Where the directory must go for that engine (field-failures R03; loader-semantics §6.2 for Desktop). */
function destination(e: DockerEngineContext, host: string): string {
  switch (e.kind) {
    case "remote":
      return `Put ${host} on the machine the engine runs on (${endpointMachine(e.host ?? "")}), in that dockerd's certs root: /etc/docker/certs.d/${host} for a rootful dockerd; docker pull there reads it at the next pull, no restart`;
    case "desktop":
      return `Put ${host} in ${e.home}/.docker/certs.d/${host} and restart Docker Desktop: it copies ~/.docker/certs.d into its VM's /etc/docker/certs.d when it starts`;
    case "podman-machine":
      return `Put ${host} inside the VM: podman machine ssh${e.machine && e.machine !== "podman-machine-default" ? ` ${e.machine}` : ""}, then create /etc/containers/certs.d/${host} there (with sudo) and copy the files into it; podman's service there reads it at the next pull`;
    default:
      return `Put ${host} in $XDG_CONFIG_HOME/docker/certs.d/${host} of the user running the rootless dockerd (${e.home}/.config/docker/certs.d/${host} when XDG_CONFIG_HOME is unset): it reads no other root`;
  }
}

function where(e: DockerEngineContext): string {
  switch (e.kind) {
    case "remote":
      return `runs on the engine at ${endpointMachine(e.host ?? "")}`;
    case "desktop":
      return "runs in Docker Desktop's VM";
    case "podman-machine":
      return "runs in the podman machine's VM";
    default:
      return "goes to a rootless dockerd";
  }
}

// docker/cli cli/command/cli.go resolveContextName, getDockerEndPoint @ 28f756087eea; field-failures R03 (C22-C26).
export default defineRule({
  meta: {
    id: "CD608",
    name: "wrong-machine",
    severity: "warning",
    description:
      "The docker CLI talks to an engine elsewhere (DOCKER_HOST, a docker context, Docker Desktop, a podman machine, " +
      "a rootless dockerd), or podman to a remote connection: their pulls never read this certs root",
    runtimes: ["docker", "docker-containerd", "podman"],
  },
  check(ctx, report) {
    if (!ctx.host.entries.some((e) => [".crt", ".cert", ".key"].includes(goExt(e.name)))) return;
    const pods = ctx.system?.engine?.podman ?? [];
    const podRoot = ctx.system?.roots.find((r) => r.realPath === ctx.host.root && PODMAN_ROOTS.includes(r.id));
    if (ctx.checked.includes("podman") && podRoot) {
      const mine = podRoot.id === "containers-user" ? pods.filter((p) => podRoot.path.startsWith(`${p.home}/`)) : pods;
      if (mine.length > 0 && mine.every(podmanAway)) report(podmanFinding(mine[0]!, podRoot.path, ctx.host.name));
    }
    const docker = ctx.checked.filter((r) => r === "docker" || r === "docker-containerd");
    if (docker.length === 0) return;
    const engines = ctx.system?.engine?.docker ?? [];
    const root = ctx.system?.roots.find((r) => r.realPath === ctx.host.root && DOCKER_ROOTS.includes(r.id));
    if (!root || engines.length === 0) return;
    const perUser = root.id === "docker-rootless" || root.id === "docker-desktop";
    const concerned = perUser ? engines.filter((e) => root.path.startsWith(`${e.home}/`)) : engines;
    // A root some configured CLI's engine reads is in use; a context the CLI cannot use says nothing.
    if (concerned.length === 0 || concerned.some((e) => e.error !== null || reads(e, root.id, root.path))) return;
    const e = concerned[0]!;
    report({
      runtimes: docker,
      messageId: e.kind,
      headline: `docker pull ${where(e)}: it never reads ${root.path}`,
      why:
        `The docker CLI of ${e.home} sends pull, push, login and build to ${engineWords(e)}: ${e.reason}. ` +
        `That engine loads the certs.d of the machine it runs on, so these files are never used by docker pull ` +
        `(the CLI reads ${root.path === "/etc/docker/certs.d" ? "this root itself only for docker manifest" : "no certs root itself"}). ` +
        `Field reports: certificates on the client while the engine runs in a VM or on another host (C22-C26).`,
      fix: { text: destination(e, ctx.host.name) },
    });
  },
});
