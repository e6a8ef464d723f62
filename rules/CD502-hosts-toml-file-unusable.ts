import { defineRule } from "../src/engine/rule.js";
import { checked, isCombined } from "../src/facts/verdicts.js";
import { clip, headline } from "../src/facts/headline.js";
import { say } from "../src/facts/wording.js";
import type { FixAdvice } from "../src/engine/rule.js";
import type { RuntimeId } from "../src/runtimes/types.js";

/**
 * Files a valid hosts.toml names that cannot serve: missing or unreadable ones, and combined client files
 * (`client = "file"` or a list of such) that lack the certificate or the key. Content problems of CA files and of
 * separate pairs belong to the PEM and pair rules, which apply whatever named the file.
 */
export default defineRule({
  meta: {
    id: "CD502",
    name: "hosts-toml-file-unusable",
    severity: "error",
    description:
      "hosts.toml names a ca or client file that is missing, unreadable, " +
      "or not the combined certificate+key it must be",
    runtimes: ["containerd", "docker-containerd"],
    programText: {
      containerd:
        'unable to read CA cert "<path>": open <path>: no such file or directory | ' +
        'unable to read CERT file "<path>": … | failed to load X509 key pair: …',
    },
  },
  check(ctx, report) {
    const runtimes = checked(ctx).filter((r) => ctx.runtimes[r]?.hostsToml?.status === "valid");
    if (!runtimes.length) return;
    const named = new Map<string, "ca" | "combined" | "pair">();
    const lists: Array<Array<[string, string]>> = [];
    for (const ep of ctx.runtimes[runtimes[0]!]!.hostsToml!.endpoints) {
      for (const f of ep.ca) named.set(f, "ca");
      for (const [c, k] of ep.client) {
        named.set(c, c === k ? "combined" : "pair");
        if (c !== k) named.set(k, "pair");
      }
      lists.push(ep.client);
    }
    for (const [file, kind] of named) {
      const errors: Partial<Record<RuntimeId, string>> = {};
      for (const r of runtimes) {
        const v = ctx.verdict(r, file);
        if (v?.error && (v.cause === "read" || (kind === "combined" && isCombined(v)))) errors[r] = v.error;
      }
      const failing = Object.keys(errors) as RuntimeId[];
      if (!failing.length) continue;
      const text = Object.values(errors)[0]!;
      let why: string;
      let fix: FixAdvice;
      let messageId: string;
      let title: string;
      const as = kind === "ca" ? "a CA file" : "a client certificate";
      // containerd#5730: client = ["a.cert", "a.key"] is two combined files, not one pair.
      const list = lists.find((l) => l.length === 2 && l.every(([c, k]) => c === k) && l.some(([c]) => c === file));
      if (list) {
        const [a, b] = [list[0]![0], list[1]![0]];
        messageId = "two-combined-files";
        title = `Named as one of two combined files (client = [${clip(`"${a}", "${b}"`)}]), not as one pair`;
        why = `client = ["${a}", "${b}"] names two files that must each hold a certificate and its key, not one pair.`;
        fix = { text: `For a certificate and a key in separate files write client = [["${a}", "${b}"]].` };
      } else if (/no such file or directory/.test(text)) {
        messageId = "missing";
        title = `Named in hosts.toml as ${as}, but there is no such file`;
        why =
          `${file} does not exist. Relative paths in hosts.toml are joined to the host directory (${ctx.host.path}), ` +
          `not to /etc/containerd or the working directory.`;
        fix = { text: "Put the file there, or correct its path in hosts.toml." };
      } else if (kind === "combined") {
        messageId = "not-combined";
        title = `Named as client = "${clip(file)}", which must hold the certificate and its key; it does not`;
        why = `client = "${file}" means one file holding the certificate and its private key; this one does not.`;
        fix = { text: 'Put both in it, or name them as a pair: client = [["cert.pem", "key.pem"]].' };
      } else {
        messageId = "unreadable";
        title = `Named in hosts.toml as ${as}, but it cannot be read`;
        why = `${file} cannot be read.`;
        fix = { text: "Make it readable, or name another file in hosts.toml." };
      }
      report({
        file,
        messageId,
        headline: headline(title),
        why:
          `hosts.toml names ${file} as a ${kind === "ca" ? "CA file" : "client certificate"}, ` +
          `and ${say(failing, "fails", "fail")} on it, so every pull, ` +
          `push and login through that host fails: ${why}`,
        fix,
        runtimeErrors: errors,
      });
    }
  },
});
