import { defineRule } from "../src/engine/rule.js";

/**
 * Reported by the configuration step (src/config/policy.ts): an `ignore` entry that hid nothing in this run (the
 * problem was fixed, or the path or rule is misspelt).
 */
export default defineRule({
  meta: {
    id: "CD003",
    name: "ignore-unused",
    severity: "info",
    description: "An ignore entry in the configuration that matched no finding: stale, or misspelt",
  },
  check() {},
});
