import type { ReactNode } from 'react';
import { Card } from '../../components/card.js';

/** A panel the services toolbar opens over the list: a card with its title and a Close button. */
export function ToolPanel({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const close = (
    <button type="button" className="button button-quiet" onClick={onClose}>
      Close
    </button>
  );
  return (
    <Card title={title} actions={close} className="tool-panel">
      {children}
    </Card>
  );
}
