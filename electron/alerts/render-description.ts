import type { Labels } from '../../shared/ids.js';

export interface DescriptionContext {
  value: number | null;
  threshold: number;
  node: string;
  /** The rule's labels over the node's: `{{labels.zone}}` finds the node's zone unless the rule sets one. */
  labels: Labels;
}

const placeholder = /\{\{\s*(value|threshold|node|labels\.([A-Za-z0-9._/-]+))\s*\}\}/g;

/** Fills a rule's description template; an unknown placeholder or label is left as written, to show the mistake. */
export function renderDescription(template: string, context: DescriptionContext): string {
  return template.replace(placeholder, (whole: string, name: string, label: string | undefined) => {
    if (label !== undefined) return context.labels[label] ?? whole;
    if (name === 'value') return context.value === null ? '—' : String(Math.round(context.value * 100) / 100);
    if (name === 'threshold') return String(context.threshold);
    return context.node;
  });
}
