/** The output formats by name: what `--format` accepts (kept apart from the formatters, so --help loads none of them). */
export const FORMAT_NAMES = ["stylish", "json", "sarif", "junit", "github", "checkstyle", "compact", "tree"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];
