import { InputError } from '../engine/errors';

/** What a command accepts: flags that take a value, and flags that are booleans. */
export interface ArgSpec {
  values?: readonly string[];
  booleans?: readonly string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  booleans: Set<string>;
  /** Everything after a bare `--` (for example `-- node app.js --port 3000`). */
  passthrough: string[];
}

/**
 * A small, strict argv parser: unknown flags are an error (a typo should not silently change
 * behaviour). Accepts `--flag value` and `--flag=value`.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const parsed: ParsedArgs = { positionals: [], values: new Map(), booleans: new Set(), passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.passthrough = argv.slice(i + 1);
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name) && eq === -1) {
      parsed.booleans.add(name);
    } else if (values.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new InputError(`option --${name} needs a value`);
      parsed.values.set(name, value);
    } else {
      throw new InputError(`unknown option --${name}`, 'Run the command with --help to see its options.');
    }
  }
  return parsed;
}
