/**
 * Where a rule's documentation is, and its text: the package's docs/rules/<id>.md, or the address a plugin rule gives.
 * Read by the callers of the formatters (the CLI and the API), never by a formatter itself.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "./version.js";

export interface RuleHelp {
  /** An address for the page (a web address a plugin gives, or the packaged page's file URL). */
  uri?: string;
  /** The page itself, for formats that embed it (SARIF's help.markdown). */
  markdown?: string;
}

/** A rule's page, from its `docs` address or the package's docs/rules/<id>.md; {} when there is none. */
export function ruleHelp(meta: { id: string; docs?: string }): RuleHelp {
  if (meta.docs && /^[a-z][a-z0-9+.-]*:/i.test(meta.docs)) return { uri: meta.docs };
  const page = path.join(packageRoot(), meta.docs ?? `docs/rules/${meta.id}.md`);
  if (!existsSync(page)) return {};
  return { uri: pathToFileURL(page).href, markdown: readFileSync(page, "utf8") };
}
