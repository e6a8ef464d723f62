import { defineRule } from "../src/engine/rule.js";
import { checked } from "../src/facts/verdicts.js";
import { say, shellQuote, verb } from "../src/facts/wording.js";
import { certificatesOf, subjectOf } from "../src/material/material.js";
import { goExt, LIVE_EXTENSIONS } from "../src/scan/names.js";

/** old-ca.crt, ca-backup.crt, client-2023.cert, ca (1).crt, "Copy of ca.crt": a retired copy that kept its extension. */
const BACKUP_WORD =
  /(?:^|[-_. ])(?:old|bak|backup|orig|original|prev|previous|copy|save|saved|tmp|temp|archive|archived|expired|retired|unused|deprecated)(?:[-_. \d]|$)/i;
const YEAR = /(?:^|[-_.])(?:19|20)\d{2}(?:[-_.]|$)/;

export function looksLikeBackup(name: string): boolean {
  const ext = goExt(name);
  if (!LIVE_EXTENSIONS.includes(ext)) return false;
  const stem = name.slice(0, -ext.length);
  return BACKUP_WORD.test(stem) || YEAR.test(stem) || /\(\d+\)\s*$/.test(stem) || /^copy of /i.test(stem);
}

export default defineRule({
  meta: {
    id: "CD113",
    name: "backup-still-loaded",
    severity: "warning",
    description:
      "An old copy that still ends in .crt, .cert or .key (old-ca.crt, client-2023.cert): it is still loaded",
  },
  check(ctx, report) {
    for (const entry of ctx.host.entries) {
      if (entry.kind !== "file" || !looksLikeBackup(entry.name)) continue;
      const readers = checked(ctx).filter((r) => {
        const v = ctx.verdict(r, entry.name);
        return !!v && v.role !== "ignored" && v.role !== "undetermined";
      });
      if (!readers.length) continue;
      const ext = goExt(entry.name);
      const m = ctx.material(entry);
      if (ext === ".crt") {
        const certs = m ? certificatesOf(m) : [];
        const what = certs[0] ? ` ("${subjectOf(certs[0])}")` : "";
        const bak = `${entry.name}.bak`;
        const text =
          `Move it out of certs.d, or rename it to end in something else ` + `(${bak} is ignored by every runtime)`;
        report({
          file: entry.name,
          runtimes: readers,
          messageId: "retired-ca",
          headline: "Looks like a retired copy, but still ends in .crt: it is trusted as a CA",
          why:
            `${entry.name} looks like a retired copy, ` +
            `but it still ends in .crt: ${say(readers, "loads", "load")} it as a CA${what}, ` +
            `trusted next to the current one.`,
          fix: ctx.entry(bak)
            ? { text: `${text}.` }
            : { text: `${text}:`, command: `mv ${shellQuote(entry.name)} ${shellQuote(bak)}` },
        });
        continue;
      }
      // A pair: report it once, on the certificate (or on a key whose certificate is not a backup).
      const partner = readers.map((r) => ctx.verdict(r, entry.name)?.partner).find((p) => p && p !== entry.name);
      if (ext === ".key" && partner && looksLikeBackup(partner) && ctx.entry(partner)) continue;
      const sentFirst = readers.filter((r) => {
        const pairs = ctx.runtimes[r]!.clientPairs;
        return pairs.length > 1 && (pairs[0]![0] === entry.name || pairs[0]![1] === entry.name);
      });
      const pair = partner
        ? `${ext === ".cert" ? entry.name : partner} and ${ext === ".cert" ? partner : entry.name}`
        : entry.name;
      const loads = readers.filter((r) => ctx.runtimes[r]!.clientPairs.some((p) => p.includes(entry.name)));
      let consequence: string;
      let kind: string;
      if (sentFirst.length) {
        kind = "retired-pair-sent-first";
        consequence =
          ` ${say(sentFirst, "loads", "load")} this pair first (names sort byte by byte), ` +
          `and Go offers the registry the first pair that fits its request: ` +
          `the old certificate is the one sent.`;
      } else if (loads.length) {
        kind = "retired-pair";
        consequence =
          ` ${say(loads, "loads", "load")} it as a second client pair; ` +
          `Go never falls back to it, but it still has to load cleanly for every pull to work.`;
      } else {
        kind = "retired-file";
        consequence =
          ` ${say(readers, "reads", "read")} it, ` + `and ${verb(readers, "fails", "fail")} on it if it is incomplete.`;
      }
      report({
        file: entry.name,
        runtimes: readers,
        messageId: kind,
        headline:
          kind === "retired-pair-sent-first"
            ? `Looks like a retired copy, but still ends in ${ext}: its pair is the one sent`
            : `Looks like a retired copy, but still ends in ${ext} and is still loaded`,
        why:
          `${pair} ${partner ? "look" : "looks"} like a retired copy, ` +
          `but ${partner ? "they still end" : "it still ends"} in ${ext}.${consequence}`,
        fix: { text: `Move ${partner ? "them" : "it"} out of certs.d.` },
      });
    }
  },
});
