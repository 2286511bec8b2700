import { RE2JS } from 're2js';
import { z } from 'zod';
import type { PatternRegex } from './compile-pattern.js';

/**
 * re2js's prefilter of a compiled regex (`re2Input.prefilter`, typed `any` by re2js): EXACT holds a string every match
 * contains, AND children that all must occur, OR children of which one must. Read through this schema so that a
 * re2js whose internals changed degrades to "no literal" (every line tested) instead of a wrong answer.
 */
interface PrefilterNode {
  type: number;
  str: string;
  subs: PrefilterNode[];
}
const prefilterNode: z.ZodType<PrefilterNode> = z.lazy(() =>
  z.object({ type: z.number(), str: z.string(), subs: z.array(prefilterNode) }),
);
const EXACT = 1;
const AND = 2;
const OR = 3;

/**
 * Literals are searched by their first this many characters (a piece of a required literal is required too): it
 * bounds the cost of a search per character of text, whatever the pattern.
 */
export const MAX_LITERAL_CHARS = 32;

/** Of two sets of literals, the one fewer lines contain: longer shortest literal, then fewer literals. */
function better(a: string[], b: string[]): string[] {
  const shortest = (set: string[]) => Math.min(...set.map((literal) => literal.length));
  return shortest(b) > shortest(a) || (shortest(b) === shortest(a) && b.length < a.length) ? b : a;
}

function literalsOf(node: PrefilterNode): string[] | null {
  switch (node.type) {
    case EXACT:
      return node.str.length > 0 ? [node.str] : null;
    case AND: {
      let best: string[] | null = null;
      for (const sub of node.subs) {
        const set = literalsOf(sub);
        if (set) best = best ? better(best, set) : set;
      }
      return best;
    }
    case OR: {
      const union = new Set<string>();
      for (const sub of node.subs) {
        const set = literalsOf(sub);
        if (!set) return null;
        for (const literal of set) union.add(literal);
      }
      return union.size > 0 ? [...union] : null;
    }
    default:
      return null;
  }
}

const cut = (literal: string) => {
  const chars = [...literal];
  return chars.length > MAX_LITERAL_CHARS ? chars.slice(0, MAX_LITERAL_CHARS).join('') : literal;
};

/**
 * Literals of which every line the pattern matches contains at least one (ignoring case when the pattern does), or
 * null when the regex has no such set (`\d+ ms`, `^(a|.)`): then every line must be tested. Conservative: a line
 * with one of them may still not match; one without any never does.
 *
 * The set comes from re2js's own prefilter of the regex compiled case-sensitively: with `ignoreCase` every literal
 * of the regex only widens to its case variants, so a line holding none of them in any case cannot match.
 */
export function requiredLiterals(pattern: PatternRegex): string[] | null {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern.regex);
  } catch {
    return null;
  }
  const parsed = prefilterNode.safeParse((compiled.re2Input as { prefilter?: unknown }).prefilter);
  if (!parsed.success) return null;
  const literals = literalsOf(parsed.data);
  return literals && [...new Set(literals.map(cut))];
}

/** Escaped punctuation (`\(`, `\.`), which stands for itself. */
const ESCAPED_PUNCTUATION = /\\([^0-9A-Za-z])/g;
const METACHARACTER = /[\\^$.*+?()[\]{}|]/;

/**
 * Whether a line holding the pattern's one literal is a match without asking re2js: the regex is that literal and
 * nothing else (`connect\(\) failed`), case-sensitive, and the literal was not cut.
 */
export function literalDecides(pattern: PatternRegex, literals: readonly string[] | null): boolean {
  if (pattern.ignoreCase || literals?.length !== 1) return false;
  const unescaped = pattern.regex.replace(ESCAPED_PUNCTUATION, '');
  return !METACHARACTER.test(unescaped) && pattern.regex.replace(ESCAPED_PUNCTUATION, '$1') === literals[0];
}
