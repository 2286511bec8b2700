import type { KeyboardEvent } from 'react';

/**
 * An editor's keydown handler: Escape cancels it, unless a control inside handled the key first (an open list, a
 * composing input method).
 */
export const cancelOnEscape = (onCancel: () => void) => (event: KeyboardEvent) => {
  if (event.key !== 'Escape' || event.defaultPrevented || event.nativeEvent.isComposing) return;
  event.preventDefault();
  onCancel();
};
