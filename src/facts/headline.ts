/**
 * Short forms for the headlines of findings (one line of at most HEADLINE_MAX characters): names of files, hosts,
 * keys and certificates shortened so that a headline stays one line whatever the directory holds.
 */
import { HEADLINE_MAX } from "../engine/rule.js";
import { goName } from "../material/go-verify.js";
import { type CertificateBlock, subjectOf } from "../material/material.js";

/** One line (runs of white space, line breaks included, become one space), cut to `max` characters with "…". */
export function clip(s: string, max = 40): string {
  const one = s.replace(/\s+/g, " ");
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}

/** One line, cut from the start to `max` characters: "…example.com:5000\".capability" (the end is what tells). */
export function tail(s: string, max = 40): string {
  const one = s.replace(/\s+/g, " ");
  return one.length <= max ? one : `…${one.slice(one.length - max + 1).trimStart()}`;
}

/** A certificate for a headline: "CN=fixture-client", or its whole subject when it has no common name; clipped. */
export function certName(c: CertificateBlock, max = 40): string {
  const cn = c.parse.cert ? goName(c.parse.cert.rawSubject).commonName : "";
  return clip(cn ? `CN=${cn}` : subjectOf(c), max);
}

/** `head` with `extra` appended when both fit in a headline, else `head` alone. */
export function fit(head: string, extra: string): string {
  return head.length + extra.length <= HEADLINE_MAX ? head + extra : head;
}

/** A headline as reported: one line, at most HEADLINE_MAX characters, without a final full stop. */
export function headline(s: string): string {
  return clip(s, HEADLINE_MAX).replace(/\.$/, "");
}
