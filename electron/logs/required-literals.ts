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

/**
 * What a line must hold for the pattern to match it: a literal; all of several (`all`); one of several (`any`).
 * Literals are as the pattern spells them; with `ignoreCase` a line may hold them in any case.
 */
export type LiteralTree = { literal: string } | { all: LiteralTree[] } | { any: LiteralTree[] };

/** More literals than this in one pattern and its lines are all tested instead: the search stays cheap. */
export const MAX_LITERALS_PER_PATTERN = 64;

function cut(literal: string): string {
  const chars = [...literal];
  return chars.length > MAX_LITERAL_CHARS ? chars.slice(0, MAX_LITERAL_CHARS).join('') : literal;
}

/** Literals shorter than this are left out of a sequence that has others. */
const MIN_TELLING_CHARS = 3;
const length = (tree: LiteralTree) => ('literal' in tree ? tree.literal.length : 0);

function treeOf(node: PrefilterNode): LiteralTree | null {
  switch (node.type) {
    case EXACT:
      return node.str.length > 0 ? { literal: cut(node.str) } : null;
    case AND: {
      // Parts without a literal say nothing: the others must still all be there. Short literals (".", " ") are in
      // nearly every line: searching for them costs more than the lines they rule out, unless nothing else is left.
      const parts = node.subs.map(treeOf).filter((tree) => tree !== null);
      const telling = parts.filter((tree) => !('literal' in tree) || tree.literal.length >= MIN_TELLING_CHARS);
      const all = telling.length > 0 ? telling : parts.sort((a, b) => length(b) - length(a)).slice(0, 1);
      return all.length > 1 ? { all } : (all[0] ?? null);
    }
    case OR: {
      const any = node.subs.map(treeOf);
      if (any.length === 0 || any.some((tree) => tree === null)) return null;
      return any.length > 1 ? { any: any as LiteralTree[] } : any[0]!;
    }
    default:
      return null;
  }
}

/** Every literal of the tree, each once. */
export function literalsIn(tree: LiteralTree): string[] {
  const found = new Set<string>();
  const visit = (node: LiteralTree) => {
    if ('literal' in node) found.add(node.literal);
    else for (const sub of 'all' in node ? node.all : node.any) visit(sub);
  };
  visit(tree);
  return [...found];
}

/**
 * What every line the pattern matches holds (in any case when the pattern ignores case), or null when the regex
 * promises no literal (`\d+ ms` has " ms", `^(a|.)` none): then every line must be tested. Conservative: a line
 * that holds what the tree asks may still not match; one that does not never does.
 *
 * The tree is re2js's own prefilter of the regex compiled case-sensitively: with `ignoreCase` every literal of the
 * regex only widens to its case variants, so a line lacking them in every case cannot match.
 */
export function requiredLiterals(pattern: PatternRegex): LiteralTree | null {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern.regex);
  } catch {
    return null;
  }
  const parsed = prefilterNode.safeParse((compiled.re2Input as { prefilter?: unknown }).prefilter);
  if (!parsed.success) return null;
  const tree = treeOf(parsed.data);
  return tree && literalsIn(tree).length <= MAX_LITERALS_PER_PATTERN ? tree : null;
}

/** Escaped punctuation (`\(`, `\.`), which stands for itself. */
const ESCAPED_PUNCTUATION = /\\([^0-9A-Za-z])/g;
const METACHARACTER = /[\\^$.*+?()[\]{}|]/;

/**
 * Whether a line holding the pattern's one literal is a match without asking re2js: the regex is that literal and
 * nothing else (`connect\(\) failed`), case-sensitive, and the literal was not cut.
 */
export function literalDecides(pattern: PatternRegex, tree: LiteralTree | null): boolean {
  if (pattern.ignoreCase || !tree || !('literal' in tree)) return false;
  const unescaped = pattern.regex.replace(ESCAPED_PUNCTUATION, '');
  return !METACHARACTER.test(unescaped) && pattern.regex.replace(ESCAPED_PUNCTUATION, '$1') === tree.literal;
}
