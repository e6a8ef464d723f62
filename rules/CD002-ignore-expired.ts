import { defineRule } from "../src/engine/rule.js";

/**
 * Reported by the configuration step (src/config/policy.ts), not by a check over a host directory: an `ignore`
 * entry whose `expires` date has passed no longer hides anything, and says so.
 */
export default defineRule({
  meta: {
    id: "CD002",
    name: "ignore-expired",
    severity: "warning",
    description: "An ignore entry in the configuration whose expires date has passed: it no longer applies",
  },
  check() {},
});
