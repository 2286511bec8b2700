import { useEffect, useState } from 'react';
import type { LogPattern } from '../../../shared/log-patterns.js';
import { useClient } from '../../client/client-context.js';
import { NodePicker } from '../../components/node-picker.js';
import { ViewPage } from '../../components/view-page.js';
import type { MemberConfigError } from '../../fleet/config-errors.js';
import { fleetPatterns, logPatternsSelectors, useLogPatternsStore } from '../../stores/log-patterns-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { FleetPatternsCard } from './fleet-patterns-card.js';
import { LogSourcesCard } from './log-sources-card.js';
import { MatchesCard } from './matches-card.js';
import { NodePatternsCard } from './node-patterns-card.js';
import { PatternForm } from './pattern-form.js';
import './log-patterns-view.css';

/** Events come from the connected agent only: another member is asked again this often. */
const memberPollMs = 5000;
/** Match counts over the last hour also fall as time passes, with no event to say so. */
const selfPollMs = 30_000;

/**
 * Loads on open and polls what no event reports; the event router applies `logs.matched` and
 * `fleetConfig.changed`, and loads again when the event stream comes back.
 */
function useLogPatternsRefresh() {
  const client = useClient();
  const memberId = useLogPatternsStore(logPatternsSelectors.memberId);

  useEffect(() => {
    void fleetPatterns.useStore.getState().load(client);
    void useLogPatternsStore.getState().loadNode(client);
  }, [client]);

  useEffect(() => {
    const timer = setInterval(
      () => void useLogPatternsStore.getState().loadNode(client),
      memberId === null ? selfPollMs : memberPollMs,
    );
    return () => clearInterval(timer);
  }, [client, memberId]);
}

/** The node picker's note on a node that could not apply some of the fleet's patterns. */
const refusedNote = (refusals: readonly MemberConfigError[]) => (memberId: string | undefined) => {
  const count = refusals.filter((refusal) => refusal.memberId === memberId).length;
  return count === 0 ? '' : ` — refused ${count === 1 ? '1 pattern' : `${count} patterns`}`;
};

function NodeRefusals({ nodeName, refusals }: { nodeName: string; refusals: readonly MemberConfigError[] }) {
  if (refusals.length === 0) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="node-refusals">
      <p>
        {nodeName} could not apply {refusals.length === 1 ? 'a fleet pattern' : `${refusals.length} fleet patterns`} and
        keeps running without {refusals.length === 1 ? 'it' : 'them'}:
      </p>
      <ul className="issue-list">
        {refusals.map((refusal) => (
          <li key={refusal.id}>
            <code>{refusal.id}</code>: {refusal.error}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function LogPatternsView() {
  useLogPatternsRefresh();
  const client = useClient();
  const memberId = useLogPatternsStore(logPatternsSelectors.memberId);
  const node = useLogPatternsStore(logPatternsSelectors.node);
  const filter = useLogPatternsStore(logPatternsSelectors.patternFilter);
  const fleet = fleetPatterns.useStore(fleetPatterns.selectors.entries);
  const fleetError = fleetPatterns.useStore(fleetPatterns.selectors.error);
  const editor = fleetPatterns.useStore(fleetPatterns.selectors.editor);
  const selectMember = useLogPatternsStore((s) => s.selectMember);
  const setPatternFilter = useLogPatternsStore((s) => s.setPatternFilter);
  const loadOlder = useLogPatternsStore((s) => s.loadOlder);
  const loadNode = useLogPatternsStore((s) => s.loadNode);
  const loadFleet = fleetPatterns.useStore((s) => s.load);
  const openEditor = fleetPatterns.useStore((s) => s.openEditor);
  const self = useNodesStore(nodesSelectors.self);
  const members = useNodesStore(nodesSelectors.members);
  const [saved, setSaved] = useState<LogPattern | null>(null);

  const refusals = fleetPatterns.refusedBy(members);
  const shownId = memberId ?? self?.id;
  const member = members.find((candidate) => candidate.id === shownId);
  const nodeName = memberId === null ? (self?.name ?? 'this node') : (member?.name ?? memberId);
  const nodeRefusals = refusals.filter((refusal) => refusal.memberId === shownId);

  // A fleet pattern is edited from the fleet's stored value; the node's copy stands in until that list arrives.
  const editingId = editor?.mode === 'edit' ? editor.id : null;
  const editing =
    editingId === null
      ? null
      : (fleet?.find((entry) => entry.id === editingId)?.value ??
        node.patterns?.find((state) => state.pattern.id === editingId && state.source === 'fleet')?.pattern ??
        null);

  const edit = (id: string) => {
    setSaved(null);
    openEditor({ mode: 'edit', id });
  };
  // Keyed by what it edits, so switching to another pattern starts from that pattern's values.
  const patternForm = (key: string, pattern: LogPattern | null) => (
    <PatternForm
      key={key}
      editing={pattern}
      fleet={fleet}
      nodeName={nodeName}
      nodePatterns={node.patterns}
      nodeSources={node.sources}
      onSaved={setSaved}
      onCancel={() => openEditor(null)}
    />
  );
  const showLines = (id: string) => void setPatternFilter(client, filter === id ? null : id);

  return (
    <ViewPage
      title="Log patterns"
      lead="What each node looks for in its logs, how often it matched, and the lines that did."
      className="log-patterns-view"
    >
      <div className="log-patterns-toolbar" role="toolbar" aria-label="Log pattern actions">
        <NodePicker
          members={members}
          selfId={self?.id}
          selfName={self?.name}
          memberId={memberId}
          noteOf={refusedNote(refusals)}
          onChange={(id) => void selectMember(client, id)}
        />
        <div className="toolbar-buttons">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setSaved(null);
              openEditor({ mode: 'add' });
            }}
          >
            Add fleet pattern
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              void loadNode(client);
              void loadFleet(client);
            }}
          >
            Refresh
          </button>
        </div>
      </div>

      {saved && (
        <p className="notice notice-success" role="status" data-testid="pattern-saved">
          Saved <strong>{saved.name}</strong> for the whole fleet. Each node applies it within moments; a node that
          cannot says why below.
        </p>
      )}

      {editor?.mode === 'add' && patternForm('add', null)}
      {editingId !== null &&
        (editing ? (
          patternForm(`edit-${editingId}`, editing)
        ) : fleet === null ? (
          <p className="card notice" role="status">
            Loading <code>{editingId}</code> from the fleet…
          </p>
        ) : (
          <div className="card notice editor-gone" role="status">
            <p>
              <code>{editingId}</code> is no longer saved for the fleet: someone deleted it, or its stored value is
              unusable.
            </p>
            <button type="button" className="button" onClick={() => openEditor(null)}>
              Close
            </button>
          </div>
        ))}

      <div className="log-patterns-node">
        <NodeRefusals nodeName={nodeName} refusals={nodeRefusals} />
        <NodePatternsCard
          nodeName={nodeName}
          patterns={node.patterns}
          error={node.patternsError}
          filter={filter}
          onShowLines={showLines}
          onEdit={edit}
        />
        <MatchesCard
          nodeName={nodeName}
          node={node}
          patterns={node.patterns ?? []}
          filter={filter}
          live={memberId === null ? 'events' : 'polling'}
          onFilter={(id) => void setPatternFilter(client, id)}
          onOlder={() => void loadOlder(client)}
        />
        <LogSourcesCard nodeName={nodeName} sources={node.sources} error={node.sourcesError} />
      </div>

      <FleetPatternsCard
        fleet={fleet}
        error={fleetError}
        refusals={refusals}
        onAdd={() => {
          setSaved(null);
          openEditor({ mode: 'add' });
        }}
        onEdit={edit}
      />
    </ViewPage>
  );
}
