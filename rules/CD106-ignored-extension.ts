import path from "node:path";
import { defineRule, type HostContext, type Severity } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, verb } from "../src/facts/wording.js";
import { certificatesOf, type FileMaterial, isCaBlock } from "../src/material/material.js";
import { goExt, LIVE_EXTENSIONS } from "../src/scan/names.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { looksLikeMaterialName } from "../src/scan/names.js";

type Role = "ca" | "client" | "key" | "pkcs12" | "pkcs7" | "none";

/** What the file would be if a loader read it: a CA (or pinned server certificate), client material, or a lone key. */
function roleOf(m: FileMaterial | undefined): Role {
  // Containers no loader opens: PKCS#12 (a client pair, usually with its CA) and PKCS#7 (certificates).
  if (m?.format === "pkcs12") return "pkcs12";
  if (m?.format === "pkcs7" || m?.blocks.some((b) => b.type === "PKCS7")) return "pkcs7";
  const certs = m ? certificatesOf(m) : [];
  const hasKey = !!m && m.blocks.some((b) => b.type.endsWith("PRIVATE KEY"));
  if (certs.some(isCaBlock)) return "ca";
  const clientAuth = certs.some((c) => c.parse.cert?.extKeyUsage.includes("clientAuth"));
  if (certs.length && (hasKey || clientAuth)) return "client";
  if (certs.length) return "ca";
  return hasKey ? "key" : "none";
}

/** A backup or leftover copy: something after a live extension (ca.crt.bak, ca.crt~, client.key.orig). */
function isBackup(name: string): boolean {
  return LIVE_EXTENSIONS.some((ext) => name.includes(`${ext}.`)) || name.endsWith("~");
}

const TARGET: Record<Role, string> = {
  ca: ".crt",
  client: ".cert",
  key: ".key",
  pkcs12: ".cert",
  pkcs7: ".crt",
  none: ".crt",
};
const WHAT: Record<Role, string> = {
  ca: "a CA certificate",
  client: "a client certificate",
  key: "a private key",
  pkcs12: "a PKCS#12 bundle (a client certificate and its private key in one password-protected file)",
  pkcs7: "a PKCS#7 bundle of certificates",
  none: "no certificate or key",
};

function suggestion(name: string, role: Role, m: FileMaterial | undefined): string {
  const stem = name.replace(/\.[^.]*$/, "") || name;
  const caseVariant = LIVE_EXTENSIONS.find((ext) => goExt(name).toLowerCase() === ext);
  if (caseVariant) return ` Extensions are matched case-sensitively: rename it to ${stem}${caseVariant}.`;
  if (m?.format === "der-certificate")
    return ` It is DER: convert it with \`openssl x509 -inform der -in ${name} -out ${stem}.crt && rm ${name}\`.`;
  if (role === "pkcs12") {
    // openssl asks for the import password each time (add -legacy for files made by older tools).
    return (
      ` No runtime reads PKCS#12: split it into the pair the loaders want with ` +
      `\`openssl pkcs12 -in ${name} -clcerts -nokeys -out ${stem}.cert && ` +
      `openssl pkcs12 -in ${name} -nocerts -nodes -out ${stem}.key && chmod 600 ${stem}.key\` ` +
      `(its CA certificates, if the registry needs them: \`openssl pkcs12 -in ${name} -cacerts -nokeys -out ${stem}-ca.crt\`).`
    );
  }
  if (role === "pkcs7") {
    const inform = m?.format === "pkcs7" ? "-inform der " : "";
    return ` No runtime reads PKCS#7: extract its certificates with \`openssl pkcs7 ${inform}-print_certs -in ${name} -out ${stem}.crt\`.`;
  }
  return ` If it should be used, rename it to ${stem}${TARGET[role]}.`;
}

/** Whether, for this runtime, some file loads as a CA (or as a client pair). */
function loads(ctx: HostContext, r: RuntimeId, role: "ca" | "client-certificate"): boolean {
  const o = ctx.runtimes[r];
  if (!o) return true;
  return [...o.verdicts.values()].some(
    (v) => v.role === role && v.error === null && (role !== "ca" || (v.certificates ?? 0) > 0),
  );
}

export default defineRule({
  meta: {
    id: "CD106",
    name: "ignored-extension",
    severity: "error",
    description: "Certificate material under a name the loaders ignore (ca.pem, ca.CRT, ca.crt.bak)",
  },
  check(ctx, report) {
    // Files that a live entry links to are read through that link (ca.crt -> root.pem).
    const linkedTo = new Set(
      ctx.host.entries.filter((e) => e.symlink && e.linkTarget).map((e) => path.resolve(ctx.host.path, e.linkTarget!)),
    );
    for (const entry of ctx.host.entries) {
      if (entry.kind === "directory" || linkedTo.has(entry.path) || entry.name === "hosts.toml") continue;
      // The runtimes that pass over it: no verdict, or "ignored" for its name (not because hosts.toml took over).
      const ignoring = checked(ctx).filter((r) => {
        const v = ctx.verdict(r, entry.name);
        return (
          (!v || v.role === "ignored") && v?.ignore !== "hosts-toml" && !LIVE_EXTENSIONS.includes(goExt(entry.name))
        );
      });
      if (!ignoring.length) continue;
      const m = ctx.material(entry);
      const role = roleOf(m);
      if (role === "none" && !looksLikeMaterialName(entry.name)) continue;
      const backup = isBackup(entry.name);
      // An error when it is exactly what the directory lacks: its only CA, or its only client material.
      const missingCa = (role === "ca" || role === "pkcs7") && ignoring.some((r) => !loads(ctx, r, "ca"));
      const missingClient =
        (role === "client" || role === "key" || role === "pkcs12") &&
        ignoring.some((r) => !loads(ctx, r, "client-certificate"));
      const severity: Severity = (missingCa || missingClient) && !backup ? "error" : "info";
      const lead = backup
        ? `${entry.name} looks like a backup copy and holds ${WHAT[role]}; ` +
          `${say(ignoring, "ignores", "ignore")} it (only *.crt, *.cert and *.key are read).`
        : `${entry.name} holds ${WHAT[role]}, but ${say(ignoring, "reads", "read")} only *.crt, ` +
          `*.cert and *.key and ${verb(ignoring, "skips", "skip")} it without a word.`;
      const consequence =
        severity !== "error"
          ? ""
          : missingCa
            ? " No other CA file loads for this registry, " +
              "so its certificate is checked against the system CAs only (x509: " +
              "certificate signed by unknown authority)."
            : " No client certificate loads for this registry, so none is sent.";
      report({
        file: entry.name,
        severity,
        runtimes: ignoring,
        message: lead + consequence + (backup ? " Move it out of certs.d." : suggestion(entry.name, role, m)),
      });
    }
  },
});
