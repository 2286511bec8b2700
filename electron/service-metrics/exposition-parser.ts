/** One sample of the Prometheus text format: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** Every metric name the text mentions: sample names and the names of `# HELP` / `# TYPE` lines. */
  names: Set<string>;
}

/** Malformed exposition text; `message` starts with the line number. */
export class ExpositionError extends Error {
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'ExpositionError';
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL: Record<string, number> = { '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity, NaN: NaN };
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

/**
 * Parses the Prometheus text exposition format (0.0.4; OpenMetrics' `# EOF` and comments are accepted too). Every
 * sample line must be `name`, optional `{label="value",...}`, a value and an optional timestamp; the first line that
 * is not throws an ExpositionError naming it ("line 12: expected a value after the metric name").
 */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const names = new Set<string>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.replace(/\r$/, '').trim();
    const number = index + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = /^#\s*(?:HELP|TYPE)\s+(\S+)/.exec(line);
      if (meta) names.add(meta[1]!);
      continue;
    }
    const sample = parseSample(line, number);
    names.add(sample.name);
    samples.push(sample);
  }
  return { samples, names };
}

function parseSample(line: string, number: number): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new ExpositionError(number, `expected a metric name at "${excerpt(line)}"`);
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const read = readLabels(rest, number);
    labels = read.labels;
    rest = read.rest;
  }
  const fields = rest.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) throw new ExpositionError(number, 'expected a value after the metric name');
  if (fields.length > 2) throw new ExpositionError(number, `unexpected "${excerpt(fields.slice(2).join(' '))}"`);
  const value = parseValue(fields[0]!);
  if (value === null) throw new ExpositionError(number, `"${excerpt(fields[0]!)}" is not a number`);
  if (fields[1] !== undefined && !/^-?\d+(?:\.\d+)?$/.test(fields[1])) {
    throw new ExpositionError(number, `"${excerpt(fields[1])}" is not a timestamp`);
  }
  return { name, labels, value };
}

function readLabels(text: string, number: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let at = 1;
  for (;;) {
    at = skipSpaces(text, at);
    if (text[at] === '}') return { labels, rest: text.slice(at + 1) };
    const label = LABEL_NAME.exec(text.slice(at))?.[0];
    if (!label) throw new ExpositionError(number, `expected a label name or "}" at "${excerpt(text.slice(at))}"`);
    at = skipSpaces(text, at + label.length);
    if (text[at] !== '=') throw new ExpositionError(number, `expected "=" after the label ${label}`);
    at = skipSpaces(text, at + 1);
    if (text[at] !== '"') throw new ExpositionError(number, `expected a quoted value for the label ${label}`);
    let value = '';
    for (at++; ; at++) {
      const c = text[at];
      if (c === undefined) throw new ExpositionError(number, `the value of the label ${label} is not closed`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[++at] ?? '';
        value += ESCAPES[next] ?? `\\${next}`;
      } else value += c;
    }
    if (Object.hasOwn(labels, label)) throw new ExpositionError(number, `the label ${label} appears twice`);
    labels[label] = value;
    at = skipSpaces(text, at + 1);
    if (text[at] === ',') at++;
    else if (text[at] !== '}') throw new ExpositionError(number, `expected "," or "}" after the label ${label}`);
  }
}

function parseValue(text: string): number | null {
  if (Object.hasOwn(SPECIAL, text)) return SPECIAL[text]!;
  return NUMBER.test(text) ? Number(text) : null;
}

function skipSpaces(text: string, at: number): number {
  while (text[at] === ' ' || text[at] === '\t') at++;
  return at;
}

const excerpt = (text: string): string => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
