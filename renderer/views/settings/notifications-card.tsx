import { useEffect, useState, type FormEvent } from 'react';
import { AlertSeverity } from '../../../shared/alerts.js';
import { DesktopNotificationSettings } from '../../../shared/desktop-notifications.js';
import { useClient } from '../../client/client-context.js';
import { Card } from '../../components/card.js';
import { CheckboxField, SelectField, TextField } from '../../components/form-fields.js';
import { severityLabels } from '../../components/severity-badge.js';
import { webNotifications } from '../../notifications/browser-notifier.js';
import { connectionSelectors, useConnectionStore } from '../../stores/connection-store.js';
import {
  desktopNotificationsSelectors,
  useDesktopNotificationsStore,
  type BrowserPermission,
} from '../../stores/desktop-notifications-store.js';
import './notifications-card.css';

const severityOptions = AlertSeverity.options.map((value) => ({ value, label: `${severityLabels[value]} and above` }));

/** The form's fields as typed; parsed with the shared schema on save. */
interface Draft {
  enabled: boolean;
  minSeverity: AlertSeverity;
  quiet: boolean;
  from: string;
  to: string;
}

const draftOf = (settings: DesktopNotificationSettings): Draft => ({
  enabled: settings.enabled,
  minSeverity: settings.minSeverity,
  quiet: settings.doNotDisturb !== null,
  from: settings.doNotDisturb?.from ?? '22:00',
  to: settings.doNotDisturb?.to ?? '07:00',
});

/** The settings the draft says, or the problems per field. */
function parseDraft(draft: Draft): { settings: DesktopNotificationSettings } | { problems: Record<string, string> } {
  const parsed = DesktopNotificationSettings.safeParse({
    enabled: draft.enabled,
    minSeverity: draft.minSeverity,
    doNotDisturb: draft.quiet ? { from: draft.from.trim(), to: draft.to.trim() } : null,
  });
  if (parsed.success) return { settings: parsed.data };
  return {
    problems: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path.at(-1)), issue.message])),
  };
}

const permissionWords: Record<BrowserPermission, string> = {
  granted: 'This browser may show notifications while a Fleetdeck tab is open.',
  denied: "This browser refused notifications for this page; allow them in the browser's site settings.",
  default: 'This browser has not been asked yet.',
  unsupported: 'This browser offers no notifications here (they need HTTPS or localhost).',
};

function SettingsForm({
  settings,
  save,
}: {
  settings: DesktopNotificationSettings;
  save(settings: DesktopNotificationSettings): Promise<string | null>;
}) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const change = (next: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...next }));
    // A field's problem goes once it is edited; Save judges it again.
    setProblems((current) => Object.fromEntries(Object.entries(current).filter(([field]) => !(field in next))));
    setStatus(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDraft(draft);
    if ('problems' in parsed) {
      setProblems(parsed.problems);
      return;
    }
    setProblems({});
    const refused = await save(parsed.settings);
    setRefusal(refused);
    setStatus(refused ? null : 'Saved.');
  };
  return (
    <form className="notifications-form" onSubmit={(event) => void submit(event)} aria-label="Notification settings">
      <CheckboxField
        label="Show notifications of fleet alerts"
        checked={draft.enabled}
        onChange={(enabled) => change({ enabled })}
      />
      <SelectField<AlertSeverity>
        label="Severity"
        value={draft.minSeverity}
        options={severityOptions}
        onChange={(minSeverity) => change({ minSeverity })}
      />
      <CheckboxField
        label="Do not disturb"
        checked={draft.quiet}
        hint="No notifications between these local times; a span past midnight (22:00 to 07:00) is fine."
        onChange={(quiet) => change({ quiet })}
      />
      {draft.quiet && (
        <div className="notifications-quiet">
          <TextField
            label="From"
            value={draft.from}
            placeholder="HH:MM"
            error={problems.from}
            onChange={(from) => change({ from })}
          />
          <TextField
            label="To"
            value={draft.to}
            placeholder="HH:MM"
            error={problems.to}
            onChange={(to) => change({ to })}
          />
        </div>
      )}
      {refusal && (
        <p className="notice notice-error" role="alert">
          Not saved: {refusal}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary">
          Save
        </button>
        {status && (
          <span className="muted" role="status">
            {status}
          </span>
        )}
      </div>
    </form>
  );
}

/** Desktop app: the console's notification settings, kept by its agent. */
function DesktopNotificationsCard() {
  const client = useClient();
  const settings = useDesktopNotificationsStore(desktopNotificationsSelectors.settings);
  const error = useDesktopNotificationsStore(desktopNotificationsSelectors.error);
  const { loadDesktop, saveDesktop } = useDesktopNotificationsStore.getState();
  useEffect(() => {
    void loadDesktop(client);
  }, [client, loadDesktop]);
  return (
    <Card
      title="Notifications"
      description="A desktop notification for each change of a fleet alert (firing, acknowledged, resolved) at or above the severity, with Acknowledge and Open. Once per change, for this console."
      errorLead="Could not read the notification settings"
      error={error}
      loading={!settings && !error}
      testId="notifications-card"
    >
      {settings && (
        <SettingsForm
          settings={settings}
          save={async (next) => {
            const outcome = await saveDesktop(client, next);
            return outcome.ok ? null : outcome.message;
          }}
        />
      )}
    </Card>
  );
}

/** A browser: the Web Notification API, asked for on a press, with this browser's own settings. */
function BrowserNotificationsCard() {
  const settings = useDesktopNotificationsStore(desktopNotificationsSelectors.settings);
  const permission = useDesktopNotificationsStore(desktopNotificationsSelectors.permission);
  const error = useDesktopNotificationsStore(desktopNotificationsSelectors.error);
  const { loadBrowser, saveBrowser, requestPermission } = useDesktopNotificationsStore.getState();
  useEffect(() => {
    loadBrowser(localStorage, webNotifications());
  }, [loadBrowser]);
  return (
    <Card
      title="Notifications"
      description="Browser notifications for each change of a fleet alert at or above the severity, shown while a Fleetdeck tab is open; once per change in this browser."
      errorLead="Could not ask for permission"
      error={error}
      loading={!settings}
      testId="notifications-card"
    >
      <div className="notifications-permission">
        <p data-testid="notifications-permission" data-permission={permission ?? ''}>
          {permission && permissionWords[permission]}
        </p>
        {permission === 'default' && (
          <button
            type="button"
            className="button"
            onClick={() => void requestPermission(() => Notification.requestPermission())}
          >
            Allow notifications
          </button>
        )}
      </div>
      {settings && (
        <SettingsForm
          settings={settings}
          save={(next) => {
            saveBrowser(localStorage, next);
            return Promise.resolve(null);
          }}
        />
      )}
    </Card>
  );
}

/** Settings → Notifications: the desktop app's or this browser's, by how this window reaches its agent. */
export function NotificationsCard() {
  const transport = useConnectionStore(connectionSelectors.transport);
  if (transport === null) return null;
  return transport === 'ipc' ? <DesktopNotificationsCard /> : <BrowserNotificationsCard />;
}
