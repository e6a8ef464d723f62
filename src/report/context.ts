/**
 * The host context a run discovered (--host, --sysroot, or no path), as the JSON report's additive `context`
 * section (schema/report.v1.schema.json) and as the short block stylish prints before the host directories.
 */
import kleur from "kleur";
import type { HostDiscovery } from "../host/discover.js";
import type { RuntimeId } from "../runtimes/types.js";
import { type RancherContext, rancherContext, rancherLines } from "./rancher-context.js";
import { engineContextReport, type EngineContextReport, formatEngineContext } from "./engine-context.js";

export interface ContextReport {
  sysroot: string | null;
  roots: Array<{ id: string; path: string; exists: boolean; reader: string; runtimes: RuntimeId[] }>;
  unread: Array<{ path: string; reason: string; meant: string }>;
  symlinksLeavingSysroot: Array<{ path: string; target: string }>;
  daemonJson: {
    path: string;
    error: string | null;
    insecureRegistries: string[];
    registryMirrors: string[];
    containerdSnapshotter: boolean | null;
  } | null;
  dockerImageStore: { store: "classic" | "containerd"; reason: string };
  containerd: {
    config: string | null;
    configVersion: number | null;
    error: string | null;
    configPath: string | null;
    configPathSource: string;
    transferServiceIgnoresList: boolean;
  };
  registriesConf: Array<{ path: string; error: string | null; insecure: string[] }>;
  /** What the registry names under the Docker roots resolve to (dockerd's insecure-registry gate). */
  addresses: Record<string, string[]>;
  /** k3s/RKE2 nodes: registries.yaml, what the next agent start generates, and what it deletes (src/host/rancher.ts). */
  registriesYaml?: RancherContext[];
  dockerEngines?: EngineContextReport["dockerEngines"];
  buildxBuilders?: EngineContextReport["buildxBuilders"];
  podmanEngines?: EngineContextReport["podmanEngines"];
}

export function contextReport(d: HostDiscovery): ContextReport {
  const c = d.containerdConfig;
  return {
    sysroot: d.sysroot,
    roots: d.settings.roots
      .filter((r) => r.id !== "unread")
      .map((r) => ({ id: r.id, path: r.path, exists: r.exists, reader: r.reader, runtimes: [...r.runtimes] })),
    unread: d.unread.map((u) => ({ path: u.path, reason: u.reason, meant: u.meant })),
    symlinksLeavingSysroot: d.escapes.map((e) => ({ ...e })),
    daemonJson: d.daemonJson && {
      path: d.daemonJson.path,
      error: d.daemonJson.error,
      insecureRegistries: d.daemonJson.insecureRegistries,
      registryMirrors: d.daemonJson.mirrors,
      containerdSnapshotter: d.daemonJson.containerdSnapshotter,
    },
    dockerImageStore: d.dockerStore,
    containerd: {
      config: c?.path ?? null,
      configVersion: c ? c.version : null,
      error: c?.error ?? null,
      configPath: d.criConfigPath.value,
      configPathSource: d.criConfigPath.source,
      transferServiceIgnoresList: d.criConfigPath.transferIgnoresList,
    },
    registriesConf: d.registriesConf.map((r) => ({ path: r.path, error: r.error, insecure: r.insecure })),
    addresses: Object.fromEntries(Object.entries(d.settings.addresses ?? {}).map(([n, a]) => [n, [...a]])),
    registriesYaml: rancherContext(d.rancher),
    ...engineContextReport(d.settings.engine),
  };
}

/** Words into lines of at most `width` columns, continuation lines indented by `next` (no width: one line). */
function wrapped(text: string, width: number | undefined, next: string): string[] {
  if (width === undefined) return [text];
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line.trim() && line.length + 1 + word.length > width) {
      lines.push(line);
      line = next + word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}

/**
 * The block stylish prints before the hosts: roots found and who reads them, roots looked for and absent; wrapped
 * to `width` when one is given.
 */
export function formatContext(ctx: ContextReport, color: boolean, width?: number): string[] {
  const k = kleur;
  k.enabled = color;
  const out: string[] = [k.bold(ctx.sysroot ? `Host context (sysroot ${ctx.sysroot})` : "Host context")];
  const add = (text: string, style: (s: string) => string = (s) => s) =>
    out.push(...wrapped(text, width, "          ").map(style));
  const found = ctx.roots.filter((r) => r.exists);
  const absent = ctx.roots.filter((r) => !r.exists);
  for (const r of found) add(`  found   ${r.path}  ${r.runtimes.join(", ")}: ${r.reader}`);
  for (const u of ctx.unread) add(`  unread  ${u.path}  ${u.reason}`, k.red);
  if (ctx.daemonJson) {
    const d = ctx.daemonJson;
    if (d.error) add(`  daemon.json ${d.error}`, k.red);
    else if (d.insecureRegistries.length) add(`  daemon.json insecure-registries: ${d.insecureRegistries.join(", ")}`);
  }
  add(`  docker pull uses the ${ctx.dockerImageStore.store} store (${ctx.dockerImageStore.reason})`);
  add(`  containerd CRI config_path: ${ctx.containerd.configPath ?? "none"} (${ctx.containerd.configPathSource})`);
  for (const [line, bad] of rancherLines(ctx.registriesYaml ?? [])) add(line, bad ? k.red : undefined);
  for (const line of formatEngineContext(ctx)) add(line);
  if (absent.length) add(`  looked for, absent: ${absent.map((r) => r.path).join(", ")}`, k.dim);
  out.push("");
  return out;
}

/** With no root found: the one-line problem and the list, for exit 2. */
export function noRootsMessage(ctx: ContextReport): string {
  const where = ctx.sysroot ? ` in ${ctx.sysroot}` : "";
  return `no certs root found${where}; looked for: ${ctx.roots.map((r) => r.path).join(", ")}`;
}
