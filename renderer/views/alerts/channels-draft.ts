import type { LabelMatcher } from '../../../shared/label-matchers.js';
import {
  ChannelInput,
  type ChannelShown,
  type ChannelType,
  type NotificationSeverity,
  type SecretInput,
} from '../../../shared/notifications.js';
import type { RpcIssue } from '../../../shared/rpc.js';
import {
  checkDraft,
  numberOf,
  placeIssues,
  withoutUndefined,
  type DraftOutcome,
  type DraftProblems,
  type FieldErrors,
} from '../../forms/draft-problems.js';

/** Where a secret comes from in the editor: typed here, read on the sending node, or none (where optional). */
export type SecretSource = 'value' | 'env' | 'file' | 'none';

export const channelTypeLabels: Record<ChannelType, string> = {
  desktop: 'Desktop notification',
  webhook: 'Webhook',
  slack: 'Slack',
  email: 'Email',
  log: 'Log line',
};

/** Every input of the channel editor as typed. */
export interface ChannelDraft {
  id: string;
  name: string;
  type: ChannelType;
  minSeverity: NotificationSeverity;
  enabled: boolean;
  /** Minutes; empty: tell once. */
  repeatMinutes: string;
  /** One matcher a line: `service=api`, `node!=web-1`, `rule=~disk-.*`. */
  matchers: string;
  url: string;
  /** One header a line: `Name: value`. */
  headers: string;
  username: string;
  host: string;
  port: string;
  security: 'tls' | 'starttls' | 'none';
  caFile: string;
  user: string;
  from: string;
  /** Addresses separated by commas or lines. */
  to: string;
  /** The type's secret: the webhook's HMAC secret, the Slack URL or the SMTP password. */
  secretSource: SecretSource;
  secret: string;
  /** A literal secret is stored (the list says only that): an empty value keeps it. */
  secretStored: boolean;
}

export const emptyChannelDraft = (): ChannelDraft => ({
  id: '',
  name: '',
  type: 'webhook',
  minSeverity: 'warning',
  enabled: true,
  repeatMinutes: '',
  matchers: '',
  url: '',
  headers: '',
  username: '',
  host: '',
  port: '587',
  security: 'starttls',
  caFile: '',
  user: '',
  from: '',
  to: '',
  secretSource: 'none',
  secret: '',
  secretStored: false,
});

/** The schema path of each type's secret, which is also where the editor shows its problems. */
export const secretPaths: Partial<Record<ChannelType, string>> = {
  webhook: 'settings.secret',
  slack: 'settings.webhookUrl',
  email: 'settings.auth.password',
};

type SecretDraft = Pick<ChannelDraft, 'secretSource' | 'secret' | 'secretStored'>;

const draftOfSecret = (secret: SecretInput | undefined): SecretDraft => {
  if (secret === undefined) return { secretSource: 'none', secret: '', secretStored: false };
  if (typeof secret === 'string') return { secretSource: 'value', secret, secretStored: false };
  if ('set' in secret) return { secretSource: 'value', secret: '', secretStored: true };
  if ('env' in secret) return { secretSource: 'env', secret: secret.env, secretStored: false };
  return { secretSource: 'file', secret: secret.file, secretStored: false };
};

const matcherLine = ({ name, op, value }: LabelMatcher) => `${name}${op}${value}`;

/** The editor's draft of a listed channel (its secrets as the list shows them: set, or where they are read). */
export function channelDraftOf(channel: ChannelShown): ChannelDraft {
  const common = {
    ...emptyChannelDraft(),
    id: channel.id,
    name: channel.name,
    type: channel.type,
    minSeverity: channel.minSeverity,
    enabled: channel.enabled,
    repeatMinutes: channel.repeatIntervalSeconds === undefined ? '' : String(channel.repeatIntervalSeconds / 60),
    matchers: channel.matchers.map(matcherLine).join('\n'),
  };
  switch (channel.type) {
    case 'webhook': {
      const { url, headers, secret } = channel.settings;
      const headerLines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
      return { ...common, url, headers: headerLines.join('\n'), ...draftOfSecret(secret) };
    }
    case 'slack':
      return { ...common, username: channel.settings.username ?? '', ...draftOfSecret(channel.settings.webhookUrl) };
    case 'email': {
      const { host, port, security, caFile, auth, from, to } = channel.settings;
      return {
        ...common,
        host,
        port: String(port),
        security,
        caFile: caFile ?? '',
        user: auth?.user ?? '',
        from,
        to: to.join(', '),
        ...draftOfSecret(auth?.password),
      };
    }
    default:
      return common;
  }
}

const secretOf = ({ secretSource, secret, secretStored }: ChannelDraft): SecretInput | undefined => {
  switch (secretSource) {
    case 'value':
      return secret === '' && secretStored ? { set: true } : secret;
    case 'env':
      return { env: secret.trim() };
    case 'file':
      return { file: secret.trim() };
    case 'none':
      return undefined;
  }
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function matchersOf(text: string, local: FieldErrors): unknown[] {
  return lines(text).map((line) => {
    const match = /^([^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
    if (!match) {
      local.matchers ??= `"${line}" is not name=value, name!=value, name=~regex or name!~regex`;
      return line;
    }
    return { name: match[1], op: match[2], value: match[3] };
  });
}

function headersOf(text: string, local: FieldErrors): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) local['settings.headers'] ??= `"${line}" is not "Name: value"`;
    else headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function settingsOf(draft: ChannelDraft, local: FieldErrors): unknown {
  switch (draft.type) {
    case 'webhook':
      return withoutUndefined({
        url: draft.url.trim(),
        secret: secretOf(draft),
        headers: headersOf(draft.headers, local),
      });
    case 'slack':
      return withoutUndefined({ webhookUrl: secretOf(draft), username: draft.username.trim() || undefined });
    case 'email': {
      const password = secretOf(draft);
      return withoutUndefined({
        host: draft.host.trim(),
        port: numberOf(draft.port),
        security: draft.security,
        caFile: draft.caFile.trim() || undefined,
        auth: draft.user.trim() || password ? { user: draft.user.trim(), password } : undefined,
        from: draft.from.trim(),
        to: draft.to
          .split(/[,\n]/)
          .map((address) => address.trim())
          .filter(Boolean),
      });
    }
    default:
      return {};
  }
}

const channelFields = new Set([
  'id',
  'name',
  'minSeverity',
  'repeatIntervalSeconds',
  'matchers',
  'settings.url',
  'settings.headers',
  'settings.secret',
  'settings.webhookUrl',
  'settings.username',
  'settings.host',
  'settings.port',
  'settings.security',
  'settings.caFile',
  'settings.auth.user',
  'settings.auth.password',
  'settings.from',
  'settings.to',
]);

export const channelProblemsOf = (issues: readonly RpcIssue[]): DraftProblems =>
  placeIssues(issues, { fields: channelFields, wrapper: 'value', subject: 'channel' });

/** Validates a draft with the shared schema; the result is exactly what `fleet.channels.put` accepts. */
export function channelOf(draft: ChannelDraft): DraftOutcome<ChannelInput> {
  const local: FieldErrors = {};
  if (draft.id.trim() === '') local.id = 'Required';
  const secretPath = secretPaths[draft.type];
  const keeps = draft.secretSource === 'value' && draft.secretStored;
  if (secretPath && draft.secretSource !== 'none' && !keeps && draft.secret.trim() === '') {
    local[secretPath] = 'Required';
  }
  const repeatMinutes = numberOf(draft.repeatMinutes);
  const input = withoutUndefined({
    id: draft.id.trim(),
    name: draft.name.trim(),
    type: draft.type,
    minSeverity: draft.minSeverity,
    enabled: draft.enabled,
    repeatIntervalSeconds: repeatMinutes === undefined ? undefined : repeatMinutes * 60,
    matchers: matchersOf(draft.matchers, local),
    settings: settingsOf(draft, local),
  });
  return checkDraft(ChannelInput, input, local, channelProblemsOf);
}

/** What a channel sends to, for its row: the URL's host, the mail's recipients, or where it shows. */
export function describeTarget(channel: ChannelShown): string {
  switch (channel.type) {
    case 'webhook':
      return channel.settings.url;
    case 'slack':
      return 'env' in channel.settings.webhookUrl
        ? `Slack (URL from $${channel.settings.webhookUrl.env})`
        : 'Slack incoming webhook';
    case 'email':
      return `${channel.settings.to.join(', ')} via ${channel.settings.host}:${channel.settings.port}`;
    case 'desktop':
      return 'OS notification on every console';
    case 'log':
      return 'A line in the leader’s log';
  }
}
