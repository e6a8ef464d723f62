import { INTERNAL_ERROR } from "../src/engine/internal-error.js";
import { defineRule } from "../src/engine/rule.js";

/**
 * Reported by the engine (src/engine/internal-error.ts), not by a check: decoding a host directory's files or
 * modelling a runtime threw. Listed here so that it has a page, a place in `rules` and a setting like any other.
 */
export default defineRule({ meta: INTERNAL_ERROR, check() {} });
