import { useEffect, useId, useSyncExternalStore } from 'react';
import { useClient } from '../../client/client-context.js';
import { ErrorNotice } from '../../components/card.js';
import { CheckboxField } from '../../components/form-fields.js';
import { NodePicker } from '../../components/node-picker.js';
import { Timestamp } from '../../components/timestamp.js';
import { ViewPage } from '../../components/view-page.js';
import { canFollow, logsSelectors, useLogsStore, type LogsRoute } from '../../stores/logs-store.js';
import { nodesSelectors, useNodesStore } from '../../stores/nodes-store.js';
import { LogLines } from './log-lines.js';
import { LogsFilters } from './logs-filters.js';
import { logsHref, parseLogsRoute } from './logs-route.js';
import './logs-view.css';

/** Another member's new lines are asked for this often while following (events come from this node only). */
const memberPollMs = 5000;

const subscribeToHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const currentHash = () => location.hash;

/** The route is the link: it is read from the location on open and on every change, and changed by navigating. */
function useLogsRoute(): (patch: Partial<LogsRoute>) => void {
  const client = useClient();
  const hash = useSyncExternalStore(subscribeToHash, currentHash);
  useEffect(() => void useLogsStore.getState().show(client, parseLogsRoute(hash)), [client, hash]);
  // Opened again with the same route: what matched meanwhile is fetched.
  useEffect(() => void useLogsStore.getState().loadNewest(client), [client]);
  return (patch) => {
    location.hash = logsHref({ ...useLogsStore.getState().route, ...patch });
  };
}

function useMemberPolling() {
  const client = useClient();
  const route = useLogsStore(logsSelectors.route);
  const follow = useLogsStore(logsSelectors.follow);
  const paused = useLogsStore(logsSelectors.paused);
  const polling = route.memberId !== null && follow && !paused && canFollow(route);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void useLogsStore.getState().loadNewest(client), memberPollMs);
    return () => clearInterval(timer);
  }, [client, polling]);
}

/** "Lines from 14:02:10 to 14:20:00", "… to now", or every line kept. */
function WindowText({ route }: { route: LogsRoute }) {
  if (route.from === null && route.to === null) return <>Every line kept, newest first.</>;
  return (
    <>
      Lines {route.from === null ? 'up ' : <>from {<Timestamp epochMs={route.from} />} </>}
      to {route.to === null ? 'now' : <Timestamp epochMs={route.to} />}, newest first.
    </>
  );
}

export function LogsView() {
  const client = useClient();
  const navigate = useLogsRoute();
  useMemberPolling();
  const headingId = useId();
  const state = useLogsStore();
  const { route, lines, patterns, sources } = state;
  const self = useNodesStore(nodesSelectors.self);
  const members = useNodesStore(nodesSelectors.members);

  const nodeName =
    route.memberId === null
      ? (self?.name ?? 'this node')
      : (members.find((member) => member.id === route.memberId)?.name ?? route.memberId);
  const windowSet = route.from !== null || route.to !== null;
  const otherNodes = [
    ...(route.memberId !== null ? [{ id: null, name: `${self?.name ?? 'This node'} (this node)` }] : []),
    ...members
      .filter((member) => member.id !== self?.id && member.id !== route.memberId)
      .map((member) => ({ id: member.id, name: member.name })),
  ];
  const followable = canFollow(route);

  return (
    <ViewPage
      title="Logs"
      lead="The lines a node's log patterns matched: filter them by source, severity, pattern and time, or follow them live."
      className="logs-view"
    >
      <div className="logs-toolbar" role="toolbar" aria-label="Which node">
        <NodePicker
          members={members}
          selfId={self?.id}
          selfName={self?.name}
          memberId={route.memberId}
          onChange={(memberId) => navigate({ memberId })}
        />
      </div>
      <LogsFilters route={route} patterns={patterns} sources={sources} onChange={navigate} />
      <ErrorNotice lead={`Could not load the patterns and sources of ${nodeName}`} error={state.choicesError} />

      <section className="card" aria-labelledby={headingId}>
        <header className="card-header logs-header">
          <div>
            <h2 id={headingId}>Matched lines on {nodeName}</h2>
            <p className="muted" data-testid="logs-window">
              <WindowText route={route} />
            </p>
          </div>
          {windowSet && (
            <button type="button" className="button" onClick={() => navigate({ from: null, to: null })}>
              Any time
            </button>
          )}
        </header>
        {windowSet && otherNodes.length > 0 && (
          <nav className="logs-other-nodes" aria-label="Same window on other nodes">
            <span className="muted">Same window on other nodes:</span>
            <ul>
              {otherNodes.map((node) => (
                <li key={node.id ?? ''}>
                  <a href={logsHref({ ...route, memberId: node.id })}>{node.name}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="logs-follow">
          <CheckboxField
            label="Follow live"
            checked={state.follow && followable}
            onChange={(follow) => state.setFollow(client, follow)}
            hint={
              !followable
                ? 'The window ends in the past: clear "To" to follow new lines.'
                : route.memberId === null
                  ? 'New lines show as they match.'
                  : 'Asked again every few seconds.'
            }
          />
          {state.follow && followable && state.paused && (
            <p className="notice" role="status" data-testid="follow-paused">
              Paused while you read older lines{state.missedWhilePaused ? '; new lines have matched' : ''}.
            </p>
          )}
        </div>
        <ErrorNotice lead="Could not load the matched lines" error={state.error} />
        {!state.loaded ? (
          !state.error && <p className="muted">Loading matched lines…</p>
        ) : lines.length === 0 ? (
          <p className="muted" data-testid="logs-empty">
            No line matched{windowSet ? ' in this window' : ''} with these filters.
          </p>
        ) : (
          <>
            <LogLines
              lines={lines}
              patterns={patterns}
              labelledBy={headingId}
              onReadingBack={(readingBack) => state.setPaused(client, readingBack)}
            />
            <div className="matches-footer">
              <span className="muted">{lines.length === 1 ? '1 line' : `${lines.length} lines`} shown</span>
              {state.hasOlder && (
                <button
                  type="button"
                  className="button"
                  disabled={state.loadingOlder}
                  onClick={() => void state.loadOlder(client)}
                >
                  {state.loadingOlder ? 'Loading older lines…' : 'Older lines'}
                </button>
              )}
            </div>
          </>
        )}
      </section>
    </ViewPage>
  );
}
