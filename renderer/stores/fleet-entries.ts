/**
 * What the stores of entries saved for the whole fleet (`fleet.<kind>.list|put|remove`: alert rules, log
 * patterns, check templates) have in common.
 */

/** One entry as the fleet stores it: its value, or (value null) why the stored value is unusable. */
export interface FleetEntry<T> {
  id: string;
  value: T | null;
  problem: string | null;
}

/** What an editor pane shows: a new entry, or an existing one being changed (its id is fixed: it is the key). */
export type EntryEditor = { mode: 'add' } | { mode: 'edit'; id: string } | null;

/** The editor once entry `id` is gone: closed if it was open on that entry. */
export const editorWithout = (editor: EntryEditor, id: string): EntryEditor =>
  editor?.mode === 'edit' && editor.id === id ? null : editor;

/** The entry the editor is open on, if it is listed. */
export const editedEntry = <E extends { id: string }>(editor: EntryEditor, entries: readonly E[] | null): E | null =>
  editor?.mode === 'edit' ? (entries?.find((entry) => entry.id === editor.id) ?? null) : null;
