import { defineRule, HEADLINE_MAX } from "../src/engine/rule.js";
import { CLASSIC, CONTAINERD_FAMILY, isCombined } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import type { RuntimeId } from "../src/runtimes/types.js";
import { CERT_EXT, keyNameOf } from "../src/scan/names.js";

function headline(key: string, cert: string): string {
  const long = `${key} is a dangling symlink: ${cert} has no usable private key`;
  return long.length <= HEADLINE_MAX ? long : `${key} is a dangling symlink`.slice(0, HEADLINE_MAX);
}

/**
 * A `.key` that is a dangling symlink beside its `.cert`. The runtimes part ways on it:
 * - containerd (core/remotes/docker/config/hosts.go loadCertFiles, v1.6.20 and 301026e58c): `os.Stat(keyFile)` fails
 *   with "not exist", so the pair is `[cert, ""]` and tlsConfigFromHost takes the key from the .cert itself
 *   ("Load key block from same PEM file"); tls.X509KeyPair then finds only certificates there:
 *   `failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key`.
 * - Docker classic (moby registry/registry.go ReadCertsDirectory, v20.10.24) and containers/image
 *   (pkg/tlsclientconfig/tlsclientconfig.go SetupCertificates, df7e80d2): `hasFile` looks at the directory listing,
 *   where the link is, so tls.LoadX509KeyPair reads it and fails with `open <path>: no such file or directory`.
 */
export default defineRule({
  meta: {
    id: "CD311",
    name: "client-key-dangling",
    severity: "error",
    description:
      "A client .key is a dangling symlink: containerd then looks for the key inside the .cert, " +
      "Docker and podman fail to open it",
    programText: {
      containerd:
        "failed to load X509 key pair: tls: found a certificate rather than a key in the PEM for the private key",
      docker: "open <path>: no such file or directory",
      podman: "open <path>: no such file or directory",
    },
  },
  check(ctx, report) {
    for (const cert of ctx.host.entries) {
      if (!cert.name.endsWith(CERT_EXT) || (cert.kind === "directory" && !cert.symlink)) continue;
      const keyName = keyNameOf(cert.name);
      const key = ctx.entry(keyName);
      if (key?.kind !== "dangling-symlink") continue;
      const errors: Partial<Record<RuntimeId, string>> = {};
      for (const r of ctx.checked) {
        const v = ctx.verdict(r, cert.name);
        if (!v?.error) continue;
        // containerd's family: the pair became the .cert alone, and its key search failed.
        if (CONTAINERD_FAMILY.includes(r) && isCombined(v) && v.cause === "key-input") errors[r] = v.error;
        // The classic loaders: the key's open failed.
        if (CLASSIC.includes(r) && v.cause === "read" && v.error.includes(key.path)) errors[r] = v.error;
      }
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      const cd = failing.filter((r) => CONTAINERD_FAMILY.includes(r));
      const classic = failing.filter((r) => CLASSIC.includes(r));
      const target = key.linkTarget ?? "a path that does not exist";
      const parts: string[] = [];
      if (cd.length)
        parts.push(
          `${say(cd, "treats", "treat")} a missing ${keyName} as "no key file" and ` +
            `${verb(cd, "looks", "look")} for the private key inside ${cert.name}, which holds only ` +
            `certificates, hence "found a certificate rather than a key".`,
        );
      if (classic.length)
        parts.push(
          `${say(classic, "sees", "see")} ${keyName} in the listing, ${verb(classic, "opens", "open")} it ` +
            `and ${verb(classic, "fails", "fail")}: the link's target does not exist.`,
        );
      report({
        file: keyName,
        headline: headline(keyName, cert.name),
        why: `${keyName} points to ${target}, which does not exist. ${parts.join(" ")} Every pull, push and login for this registry fails.`,
        fix: {
          text:
            `Point ${keyName} at the private key of ${cert.name} (\`ln -sf /path/to/the/key ${shellQuote(keyName)}\`), ` +
            `or copy the key here in its place`,
        },
        runtimeErrors: errors,
      });
    }
  },
});
