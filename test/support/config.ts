// The example deployment and a validated test configuration, without loading the application itself (a benchmark
// measuring its own memory imports only this).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDeployment, parseEnv, type AppConfig } from '../../src/config.js';

export function exampleDeployment(): Record<string, unknown> {
  return parseYaml(readFileSync('examples/config.yaml', 'utf8')) as Record<string, unknown>;
}

export function buildTestConfig(env: Record<string, string | undefined>, deploymentOverrides: Record<string, unknown> = {}): AppConfig {
  const parsedEnv = parseEnv({ LOG_LEVEL: 'silent', ...env });
  if (!parsedEnv.env) throw new Error(parsedEnv.problems.join('\n'));
  const raw = { ...exampleDeployment(), ...deploymentOverrides };
  const parsed = parseDeployment(raw, 'test');
  if (!parsed.deployment || !parsed.calendar) throw new Error(parsed.problems.join('\n'));
  return { env: parsedEnv.env, deployment: parsed.deployment, calendar: parsed.calendar, configFile: 'examples/config.yaml' };
}
