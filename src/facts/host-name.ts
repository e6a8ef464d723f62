/**
 * What an image reference can spell as a registry (distribution/reference's grammar: domain components of letters,
 * digits and inner hyphens, or a bracketed IPv6 address, then an optional :port), against a certs.d directory name.
 * Every runtime looks the directory up by that spelling, byte for byte.
 */

export type NameProblem =
  | { kind: "uppercase"; suggestion: string }
  | { kind: "trailing-dot"; suggestion: string }
  | { kind: "whitespace"; suggestion: string }
  | { kind: "bad-port"; port: string }
  | { kind: "bare-ipv6"; suggestion: string }
  | { kind: "bad-character"; character: string }
  | { kind: "empty-label" };

const COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;

/** The problem that keeps every image reference from naming this directory, or null when one can. */
export function referenceNameProblem(name: string): NameProblem | null {
  if (/\s/.test(name)) return { kind: "whitespace", suggestion: name.replace(/\s+/g, "") };
  let host = name;
  let port: string | null = null;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(name);
  if (v6) {
    if (!/^[0-9a-fA-F:]+$/.test(v6[1]!)) return { kind: "bad-character", character: "[" };
    port = v6[2] ?? null;
    if (port !== null && !/^\d+$/.test(port)) return { kind: "bad-port", port };
    return null;
  }
  if ((name.match(/:/g) ?? []).length > 1) {
    const m = /^(.*):(\d+)$/.exec(name);
    return { kind: "bare-ipv6", suggestion: m ? `[${m[1]}]:${m[2]}` : `[${name}]` };
  }
  const i = name.indexOf(":");
  if (i >= 0) {
    host = name.slice(0, i);
    port = name.slice(i + 1);
    if (!/^\d+$/.test(port)) return { kind: "bad-port", port };
  }
  if (host.endsWith(".") && host.length > 1)
    return { kind: "trailing-dot", suggestion: `${host.replace(/\.+$/, "")}${port !== null ? `:${port}` : ""}` };
  const labels = host.split(".");
  if (labels.some((l) => l === "")) return { kind: "empty-label" };
  for (const l of labels) {
    if (!COMPONENT.test(l)) {
      const bad = [...l].find((c, j) => !/[a-zA-Z0-9]/.test(c) && !(c === "-" && j > 0 && j < l.length - 1)) ?? l[0]!;
      return { kind: "bad-character", character: bad };
    }
  }
  if (/[A-Z]/.test(host)) return { kind: "uppercase", suggestion: name.toLowerCase() };
  return null;
}

/** `mkdir -p /etc/docker/certs.d/https://host:port` makes `https:` with `host:port` inside it. */
export function isUrlPiece(name: string): boolean {
  return /^(?:https?|oci|docker):$/i.test(name) || /^(?:https?):[^/]/i.test(name);
}
