import path from "node:path";
import { defineRule, type FixAdvice, type HostContext, type Severity } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
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

/** WHAT, without the explanation in brackets. */
function whatShort(role: Role): string {
  return WHAT[role].replace(/ \(.*\)$/, "");
}

/** A short name for the headline. */
const SHORT: Record<Role, string> = {
  ca: "A CA certificate",
  client: "A client certificate",
  key: "A private key",
  pkcs12: "A PKCS#12 bundle",
  pkcs7: "A PKCS#7 bundle",
  none: "A certificate-like name",
};

/** What to do, and the why's last sentence when the fix needs background. */
function suggestion(
  ctx: HostContext,
  name: string,
  role: Role,
  m: FileMaterial | undefined,
): { fix: FixAdvice; note?: string } {
  const stem = name.replace(/\.[^.]*$/, "") || name;
  const q = shellQuote;
  // A command that writes `target` only when nothing of that name is there to be overwritten.
  const free = (target: string): boolean => !ctx.entry(target);
  const caseVariant = LIVE_EXTENSIONS.find((ext) => goExt(name).toLowerCase() === ext);
  if (caseVariant) {
    const target = `${stem}${caseVariant}`;
    const text = `Extensions are matched case-sensitively: rename it to ${target}`;
    return { fix: free(target) ? { text: `${text}:`, command: `mv ${q(name)} ${q(target)}` } : { text: `${text}.` } };
  }
  if (m?.format === "der-certificate") {
    const target = `${stem}.crt`;
    return {
      fix: free(target)
        ? {
            text: `It is DER: convert it to PEM as ${target}:`,
            command: `openssl x509 -inform der -in ${q(name)} -out ${q(target)} && rm ${q(name)}`,
          }
        : { text: `It is DER: convert it to PEM and add it to ${target}.` },
    };
  }
  if (role === "pkcs12") {
    // openssl asks for the import password each time (add -legacy for files made by older tools).
    return {
      note:
        `Its CA certificates, if the registry needs them, come out with ` +
        `\`openssl pkcs12 -in ${q(name)} -cacerts -nokeys -out ${q(`${stem}-ca.crt`)}\`.`,
      fix: {
        text: "No runtime reads PKCS#12: split it into the pair the loaders want:",
        command:
          `openssl pkcs12 -in ${q(name)} -clcerts -nokeys -out ${q(`${stem}.cert`)} && ` +
          `openssl pkcs12 -in ${q(name)} -nocerts -nodes -out ${q(`${stem}.key`)} && chmod 600 ${q(`${stem}.key`)}`,
      },
    };
  }
  if (role === "pkcs7") {
    const inform = m?.format === "pkcs7" ? "-inform der " : "";
    return {
      fix: {
        text: "No runtime reads PKCS#7: extract its certificates:",
        command: `openssl pkcs7 ${inform}-print_certs -in ${q(name)} -out ${q(`${stem}.crt`)}`,
      },
    };
  }
  const target = `${stem}${TARGET[role]}`;
  return {
    fix: free(target)
      ? { text: `If it should be used, rename it to ${target}:`, command: `mv ${q(name)} ${q(target)}` }
      : { text: `If it should be used, rename it to ${target} (a ${target} is already there).` },
  };
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
      const advice = backup ? { fix: { text: "Move it out of certs.d." } } : suggestion(ctx, entry.name, role, m);
      report({
        file: entry.name,
        severity,
        runtimes: ignoring,
        messageId: backup ? "backup" : "ignored-name",
        headline: backup
          ? `Looks like a backup copy (${whatShort(role)}); only *.crt, *.cert and *.key are read`
          : role === "none"
            ? "A certificate-like name no loader reads, and no certificate or key in it"
            : `${SHORT[role]} under a name no loader reads (only *.crt, *.cert and *.key are)`,
        why: lead + consequence + (advice.note ? ` ${advice.note}` : ""),
        fix: advice.fix,
      });
    }
  },
});
