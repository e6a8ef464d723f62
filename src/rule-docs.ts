/**
 * Where a rule's documentation is, and its text: the package's docs/rules/<id>.md, or the address a plugin rule gives.
 * Read by the callers of the formatters (the CLI and the API), never by a formatter itself.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "./version.js";

export interface RuleHelp {
  /**
   * A web address for the page: the one a plugin rule gives, or the page under package.json's `homepage` when the
   * package has one. Never a file path of the machine that ran the lint.
   */
  uri?: string;
  /** The page itself, for formats that embed it (SARIF's help.markdown). */
  markdown?: string;
}

/** package.json's `homepage`, with a trailing slash, or null. */
export function homepage(): string | null {
  const pkg = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { homepage?: unknown };
  return typeof pkg.homepage === "string" && /^https?:\/\//.test(pkg.homepage)
    ? pkg.homepage.replace(/\/?$/, "/")
    : null;
}

/** A rule's page, from its `docs` address or the package's docs/rules/<id>.md; {} when there is none. */
export function ruleHelp(meta: { id: string; docs?: string }): RuleHelp {
  if (meta.docs && /^[a-z][a-z0-9+.-]*:/i.test(meta.docs)) return { uri: meta.docs };
  const relative = meta.docs ?? `docs/rules/${meta.id}.md`;
  const page = path.join(packageRoot(), relative);
  if (!existsSync(page)) return {};
  const home = meta.docs === undefined ? homepage() : null;
  return { ...(home ? { uri: new URL(relative, home).href } : {}), markdown: readFileSync(page, "utf8") };
}
