/**
 * The engine part of the host context (src/host/engine-context.ts): the JSON report's `dockerEngines` and
 * `buildxBuilders` (schema/report.v1.schema.json, additive), and the lines stylish adds to its host-context block.
 */
import { type EngineSettings, ISOLATED_DRIVERS, type PodmanEngineContext } from "../runtimes/engines.js";

export interface EngineContextReport {
  dockerEngines: Array<{
    home: string;
    context: string;
    contextSource: string;
    host: string | null;
    kind: string;
    reason: string;
    error: string | null;
    machine?: string;
  }>;
  buildxBuilders: Array<{
    home: string;
    name: string;
    driver: string;
    endpoints: string[];
    current: boolean;
    readsEngineCertsD: boolean;
    registries: string[];
    error: string | null;
  }>;
  /** As discovered: the report carries every field of it. */
  podmanEngines: PodmanEngineContext[];
}

export function engineContextReport(e: EngineSettings | undefined): Partial<EngineContextReport> {
  if (!e) return {};
  return {
    dockerEngines: e.docker.map((d) => ({
      home: d.home,
      context: d.context,
      contextSource: d.contextSource,
      host: d.host,
      kind: d.kind,
      reason: d.reason,
      error: d.error,
      ...(d.machine ? { machine: d.machine } : {}),
    })),
    buildxBuilders: e.builders.map((b) => ({
      home: b.home,
      name: b.name,
      driver: b.driver,
      endpoints: [...b.endpoints],
      current: b.current,
      readsEngineCertsD: !ISOLATED_DRIVERS.includes(b.driver),
      registries: (b.config?.registries ?? []).map((r) => r.host),
      error: b.error ?? b.config?.error ?? null,
    })),
    ...(e.podman ? { podmanEngines: e.podman.map((p) => ({ ...p })) } : {}),
  };
}

/** One line per docker CLI engine that is not this machine's dockerd, and per builder. */
export function formatEngineContext(ctx: Partial<EngineContextReport>): string[] {
  const out: string[] = [];
  for (const d of ctx.dockerEngines ?? []) {
    if (d.kind === "local" && !d.error) continue;
    const via = d.context === "default" ? d.contextSource : `context ${d.context}`;
    out.push(
      d.error
        ? `  docker CLI (${d.home}): ${via}: ${d.error}`
        : `  docker CLI (${d.home}) talks to ${d.host} (${via}): ${d.reason}`,
    );
  }
  for (const p of ctx.podmanEngines ?? []) {
    const what = `${p.connection ? `connection ${p.connection}` : ""}${p.uri ? `${p.connection ? " " : ""}(${p.uri}${p.isMachine ? ", a podman machine" : ""})` : ""}`;
    if (p.remote) out.push(`  podman (${p.home}) pulls through ${what} (${p.source})${p.error ? `: ${p.error}` : ""}`);
    else if (p.error) out.push(`  podman (${p.home}): ${p.error}`);
    else if (p.connection) out.push(`  podman (${p.home}) pulls here; podman --remote would use ${what}`);
  }
  for (const b of ctx.buildxBuilders ?? [])
    out.push(
      `  buildx builder ${b.name} (${b.driver || "?"}${b.current ? ", current" : ""}): ` +
        (b.error
          ? b.error
          : b.readsEngineCertsD
            ? "BuildKit inside the engine, which reads the engine's certs.d"
            : `its own buildkitd, which reads only its buildkitd.toml${b.registries.length ? ` (${b.registries.map((r) => `[registry."${r}"]`).join(", ")})` : " (none given)"}`),
    );
  return out;
}
