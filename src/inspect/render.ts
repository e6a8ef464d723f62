/** The text form of `certsd-lint inspect` (the JSON form is the InspectReport itself). */
import type { InspectCertificate, InspectFile, InspectKey, InspectReport } from "./inspect.js";

function headers(h: Record<string, string>): string {
  const entries = Object.entries(h);
  return entries.length ? `, headers ${entries.map(([k, v]) => `${k}: ${v}`).join("; ")}` : "";
}

function certLines(c: InspectCertificate): string[] {
  const where = c.block < 0 ? "the file (DER)" : `block ${c.block} (line ${c.line})`;
  if (c.error !== null) return [`  certificate in ${where}: Go rejects it: ${c.error}`];
  const sans = [...(c.dnsNames ?? []), ...(c.ipAddresses ?? []), ...(c.emailAddresses ?? []), ...(c.uris ?? [])];
  const pk = c.publicKey!;
  const ca = c.basicConstraintsValid
    ? c.isCA
      ? `CA: yes (${c.maxPathLen === -1 ? "no path length limit" : `max path length ${String(c.maxPathLen)}`})`
      : "CA: no"
    : "CA: no basic constraints";
  return [
    `  certificate in ${where}: parses`,
    `    subject   ${c.subject ?? "(unreadable)"}`,
    `    issuer    ${c.issuer ?? "(unreadable)"}`,
    `    SANs      ${sans.length ? sans.join(", ") : "none"}`,
    `    validity  ${c.notBefore} to ${c.notAfter}`,
    `    key       ${pk.algorithm}${pk.bits !== undefined ? ` ${pk.bits} bits` : ""}${pk.curve ? ` ${pk.curve}` : ""}`,
    `    ${ca}`,
    ...(c.unhandledCriticalExtensions?.length
      ? [`    unhandled critical extensions ${c.unhandledCriticalExtensions.join(", ")}`]
      : []),
    `    sha256    ${c.sha256}`,
  ];
}

function keyLines(k: InspectKey): string[] {
  const head = `  key in block ${k.block} (line ${k.line}, ${k.type}${k.encrypted ? ", encrypted" : ""})`;
  if (k.error !== null) return [`${head}: Go rejects it: ${k.error} (the bytes look like: ${k.kind})`];
  return [
    `${head}: ${k.encoding!.toUpperCase()} ${k.algorithm}${k.bits ? ` ${k.bits} bits` : ""}${k.curve ? ` ${k.curve}` : ""}`,
  ];
}

function fileLines(f: InspectFile): string[] {
  const out = [
    `${f.path}: ${f.size} bytes, ${f.format}${f.bom ? ", starts with a byte-order mark" : ""}${f.crlf ? ", CRLF line ends" : ""}`,
  ];
  out.push(`  PEM blocks Go decodes: ${f.blocks.length}`);
  for (const b of f.blocks)
    out.push(
      `    block ${b.index} (line ${b.line}): ${JSON.stringify(b.type)}, ${b.length} bytes${headers(b.headers)}`,
    );
  if (f.restLength > 0) out.push(`  rest: ${f.restLength} bytes after the last block`);
  for (const h of f.hidden)
    out.push(`  not decoded by Go: BEGIN ${JSON.stringify(h.type)} at line ${h.line} (${h.reason})`);
  for (const c of f.certificates) out.push(...certLines(c));
  for (const k of f.keys) out.push(...keyLines(k));
  const added = f.pool.added;
  out.push(
    `  AppendCertsFromPEM adds ${added.length} certificate${added.length === 1 ? "" : "s"}` +
      (added.length ? ` (block${added.length === 1 ? "" : "s"} ${added.join(", ")})` : ""),
  );
  for (const s of f.pool.skipped.filter((s) => s.reason !== "not-a-certificate-block"))
    out.push(`    skips block ${s.block}: ${s.reason}${s.error ? ` (${s.error})` : ""}`);
  return out;
}

export function renderInspect(r: InspectReport): string {
  const lines = [`As Go ${r.go.toolchain} sees it (GODEBUG defaults of ${r.go.godebug}):`];
  for (const f of r.files) lines.push("", ...fileLines(f));
  for (const p of r.pairs ?? []) {
    lines.push(
      "",
      `tls.X509KeyPair(${p.certificate}, ${p.key}): ${p.ok ? `loads (chain of ${p.chainLength})` : p.error}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
