import { hasMask, maskToken, tokensOf, type MaskedToken } from './log-masking.js';

/** A template position where the lines disagree: any token. */
export const WILDCARD = null;
export type TemplateToken = MaskedToken | typeof WILDCARD;

/** Lines of one shape: their common template, how many there were, and a few of them as examples. */
export interface LogTemplate {
  tokens: TemplateToken[];
  count: number;
  /** The first lines seen of this shape, oldest first. */
  examples: string[];
}

export interface LogTemplatesOptions {
  /** Levels of the parse tree under the token count: the first `depth` tokens pick a leaf. */
  depth?: number;
  /** A line joins a template when at least this share of its tokens equals the template's. */
  similarity?: number;
  /** Children of a tree node; tokens beyond them share one wildcard branch. */
  maxChildren?: number;
  /** Templates kept; the least recently matched goes to make room for a new one. */
  maxTemplates?: number;
  examplesPerTemplate?: number;
}

interface Cluster extends LogTemplate {
  /** Bumped each time a line joins, for least-recently-used eviction. */
  lastUsed: number;
  leaf: Cluster[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

/** The branch of tokens that vary (masked) or that arrive once a node is full. */
const WILDCARD_BRANCH = '\u0000*';

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

/**
 * Drain (He et al., ICWS 2017): a fixed-depth parse tree groups lines by token count and first tokens, and within a
 * leaf a line joins the most similar template (the share of positions where the tokens are equal) if it is similar
 * enough, turning the positions that differ into wildcards; otherwise it starts a template of its own. Numbers, hex,
 * uuids and IPv4 addresses are masked first, so lines that differ only there share a template and keep them typed.
 * Memory is bounded: at most `maxTemplates` templates (the least recently matched evicted), and a tree of one branch
 * per token count with at most `maxChildren` children a node, `depth` deep.
 */
export class LogTemplates {
  private readonly depth: number;
  private readonly similarity: number;
  private readonly maxChildren: number;
  private readonly maxTemplates: number;
  private readonly examplesPerTemplate: number;
  private readonly root = new Map<number, TreeNode>();
  private readonly clusters = new Set<Cluster>();
  private uses = 0;

  constructor(options: LogTemplatesOptions = {}) {
    this.depth = options.depth ?? 2;
    this.similarity = options.similarity ?? 0.4;
    this.maxChildren = options.maxChildren ?? 100;
    this.maxTemplates = options.maxTemplates ?? 1000;
    this.examplesPerTemplate = options.examplesPerTemplate ?? 5;
  }

  /** Adds one line; returns the template it joined or started (null for a blank line). */
  add(line: string): LogTemplate | null {
    const tokens = tokensOf(line).map(maskToken);
    if (tokens.length === 0) return null;
    const leaf = this.leafFor(tokens);
    const cluster = this.closest(leaf.clusters, tokens);
    this.uses += 1;
    if (cluster) {
      cluster.tokens = cluster.tokens.map((token, index) =>
        token !== WILDCARD && token.key === tokens[index]!.key ? token : WILDCARD,
      );
      cluster.count += 1;
      cluster.lastUsed = this.uses;
      if (cluster.examples.length < this.examplesPerTemplate) cluster.examples.push(line);
      return cluster;
    }
    if (this.clusters.size >= this.maxTemplates) this.evictLeastRecent();
    const created: Cluster = { tokens, count: 1, examples: [line], lastUsed: this.uses, leaf: leaf.clusters };
    leaf.clusters.push(created);
    this.clusters.add(created);
    return created;
  }

  /** Every template, the most lines first. */
  templates(): LogTemplate[] {
    return [...this.clusters]
      .sort((a, b) => b.count - a.count)
      .map(({ tokens, count, examples }) => ({ tokens, count, examples: [...examples] }));
  }

  get size(): number {
    return this.clusters.size;
  }

  /** The leaf for lines of this length and these first tokens, made on the way when missing. */
  private leafFor(tokens: readonly MaskedToken[]): TreeNode {
    let node = this.root.get(tokens.length);
    if (!node) {
      node = newNode();
      this.root.set(tokens.length, node);
    }
    for (const token of tokens.slice(0, this.depth)) {
      const own = hasMask(token) ? WILDCARD_BRANCH : token.key;
      const constants = node.children.size - (node.children.has(WILDCARD_BRANCH) ? 1 : 0);
      // One child is kept for the wildcard branch, where tokens go once the constant ones fill the node.
      const key = node.children.has(own) || constants < this.maxChildren - 1 ? own : WILDCARD_BRANCH;
      let child = node.children.get(key);
      if (!child) {
        child = newNode();
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }

  /**
   * The template most similar to the tokens, if similar enough: ties go to the one with more wildcards (as Drain
   * does), which has already absorbed lines like this one.
   */
  private closest(clusters: readonly Cluster[], tokens: readonly MaskedToken[]): Cluster | null {
    let best: { cluster: Cluster; similarity: number; wildcards: number } | null = null;
    for (const cluster of clusters) {
      let equal = 0;
      let wildcards = 0;
      cluster.tokens.forEach((token, index) => {
        if (token === WILDCARD) wildcards += 1;
        else if (token.key === tokens[index]!.key) equal += 1;
      });
      const similarity = equal / tokens.length;
      if (!best || similarity > best.similarity || (similarity === best.similarity && wildcards > best.wildcards))
        best = { cluster, similarity, wildcards };
    }
    return best && best.similarity >= this.similarity ? best.cluster : null;
  }

  private evictLeastRecent(): void {
    let oldest: Cluster | null = null;
    for (const cluster of this.clusters) if (!oldest || cluster.lastUsed < oldest.lastUsed) oldest = cluster;
    if (!oldest) return;
    this.clusters.delete(oldest);
    oldest.leaf.splice(oldest.leaf.indexOf(oldest), 1);
  }
}
