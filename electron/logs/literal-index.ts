import { isAscii, LiteralAutomaton } from './literal-automaton.js';
import type { LiteralTree } from './required-literals.js';

/** A V8 regex of one escaped literal: nothing in it can backtrack beyond the literal's length at each position. */
const escapeLiteral = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Fewer literals are searched one by one: a native search skips through text far faster than the automaton steps
 * (measured: one pass of the automaton costs about as much as 25 native searches).
 */
const MIN_AUTOMATON_LITERALS = 16;

/** A pattern's `LiteralTree` with each literal as its index in the index's list. */
type IdTree = { id: number } | { all: IdTree[] } | { any: IdTree[] };

/** The lines (ascending) in both lists. */
function intersection(a: readonly number[], b: readonly number[]): number[] {
  const both: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      both.push(a[i]!);
      i++;
      j++;
    }
  }
  return both;
}

/** The lines (ascending) in either list. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const either: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) either.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) either.push(b[j++]!);
    else {
      either.push(a[i++]!);
      j++;
    }
  }
  return either;
}

/** One literal to look for, and whether in any case. */
interface Literal {
  text: string;
  ignoreCase: boolean;
}

/** Literals searched one by one (not ASCII, or beyond the automaton's size): each line holding one, once. */
function searchOne(text: string, literal: Literal, lineAt: (position: number) => number, starts: Int32Array): number[] {
  const lines: number[] = [];
  // The 'u' flag folds case as RE2 does (the Kelvin sign is a k); the regex is an escaped literal only.
  const regex = new RegExp(escapeLiteral(literal.text), literal.ignoreCase ? 'giu' : 'gu');
  for (;;) {
    const found = regex.exec(text);
    if (!found) break;
    const line = lineAt(found.index);
    lines.push(line);
    if (line + 1 >= starts.length) break;
    regex.lastIndex = starts[line + 1]!;
  }
  return lines;
}

/**
 * The literals of a set of patterns (each pattern's `requiredLiterals`), searched in a batch of lines all at once:
 * an Aho-Corasick automaton for the case-sensitive ASCII literals, one for those that ignore case (each when there are
 * many), and a native search for each of the rest, so a batch costs a few passes over its text however many patterns
 * there are.
 */
export class LiteralIndex {
  private readonly literals: Literal[] = [];
  /** Per pattern, its tree of literals by index in `literals`; null: the pattern has none (every line is tested). */
  private readonly ofPattern: Array<IdTree | null>;
  private readonly exact: { automaton: LiteralAutomaton; ids: number[] } | null;
  private readonly folded: { automaton: LiteralAutomaton; ids: number[] } | null;
  private readonly searched: number[] = [];

  constructor(patterns: ReadonlyArray<{ literals: LiteralTree | null; ignoreCase: boolean }>) {
    const ids = new Map<string, number>();
    const idTree = (tree: LiteralTree, ignoreCase: boolean): IdTree => {
      if ('all' in tree) return { all: tree.all.map((sub) => idTree(sub, ignoreCase)) };
      if ('any' in tree) return { any: tree.any.map((sub) => idTree(sub, ignoreCase)) };
      const key = `${ignoreCase ? 'i' : '-'}${tree.literal}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = this.literals.length;
        ids.set(key, id);
        this.literals.push({ text: tree.literal, ignoreCase });
      }
      return { id };
    };
    this.ofPattern = patterns.map(({ literals, ignoreCase }) => literals && idTree(literals, ignoreCase));
    const automatonOf = (ignoreCase: boolean) => {
      const ids = this.literals.flatMap((literal, id) =>
        literal.ignoreCase === ignoreCase && isAscii(literal.text) ? [id] : [],
      );
      if (ids.length < MIN_AUTOMATON_LITERALS) return null;
      const automaton = LiteralAutomaton.build(
        ids.map((id) => this.literals[id]!.text),
        ignoreCase,
      );
      return automaton && { automaton, ids };
    };
    this.exact = automatonOf(false);
    this.folded = automatonOf(true);
    const inAutomaton = new Set([...(this.exact?.ids ?? []), ...(this.folded?.ids ?? [])]);
    this.literals.forEach((_, id) => {
      if (!inAutomaton.has(id)) this.searched.push(id);
    });
  }

  /**
   * For each pattern, the indexes (ascending) of the lines holding what its literal tree asks, or null for a pattern
   * that has none. Null for all when a line holds a '\n' (lines are joined by it): then every line is tested.
   */
  candidates(lines: readonly string[]): Array<number[] | null> {
    if (lines.some((line) => line.includes('\n'))) return this.ofPattern.map(() => null);
    const text = lines.join('\n');
    const starts = new Int32Array(lines.length);
    for (let line = 1; line < lines.length; line++) starts[line] = starts[line - 1]! + lines[line - 1]!.length + 1;
    const lineAt = (position: number) => {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]! <= position) low = middle;
        else high = middle - 1;
      }
      return low;
    };
    const holding = new Array<number[]>(this.literals.length);
    for (const part of [this.exact, this.folded]) {
      if (!part) continue;
      part.automaton.linesHolding(text, part.ids.length, starts).forEach((found, index) => {
        holding[part.ids[index]!] = found;
      });
    }
    for (const id of this.searched) holding[id] = searchOne(text, this.literals[id]!, lineAt, starts);
    const linesOf = (tree: IdTree): number[] => {
      if ('id' in tree) return holding[tree.id]!;
      if ('all' in tree) return tree.all.map(linesOf).reduce(intersection);
      return tree.any.map(linesOf).reduce(union);
    };
    return this.ofPattern.map((tree) => tree && linesOf(tree));
  }
}
