/**
 * The parts of certsd-lint's SARIF 2.1.0 log that tests read, for typing `JSON.parse` of it. Only a type: what the
 * log must hold is checked by the tests themselves (and by the official schema in test/report/formats.test.ts).
 */
export interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region?: { startLine: number };
  };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
}

export interface SarifRule {
  id: string;
  name: string;
  helpUri?: string;
  help?: { text?: string; markdown?: string };
  defaultConfiguration: { level: string };
}

export interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }>;
}
