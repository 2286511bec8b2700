/**
 * Every setting that can come from a command-line flag has an environment twin.
 * One table, so the CLI help, the loader and the README cannot drift apart.
 */
export interface SettingOption {
  flag: string;
  env: string;
  /** Where the value goes in the config object; absent for `--config` itself. */
  path?: readonly string[];
  /** `list`: comma-separated values. */
  type: 'string' | 'integer' | 'list';
  help: string;
}

export const settingOptions: readonly SettingOption[] = [
  { flag: 'config', env: 'FLEETDECK_CONFIG', type: 'string', help: 'YAML or JSON config file' },
  { flag: 'data-dir', env: 'FLEETDECK_DATA_DIR', path: ['dataDir'], type: 'string', help: 'where the database lives' },
  { flag: 'host', env: 'FLEETDECK_HOST', path: ['api', 'host'], type: 'string', help: 'API bind address' },
  { flag: 'port', env: 'FLEETDECK_PORT', path: ['api', 'port'], type: 'integer', help: 'API port (0: any free port)' },
  { flag: 'node-id', env: 'FLEETDECK_NODE_ID', path: ['nodeId'], type: 'string', help: 'stable id in the fleet' },
  { flag: 'name', env: 'FLEETDECK_NAME', path: ['name'], type: 'string', help: 'display name' },
  { flag: 'role', env: 'FLEETDECK_ROLE', path: ['role'], type: 'string', help: 'agent or console' },
  { flag: 'cluster', env: 'FLEETDECK_CLUSTER', path: ['cluster'], type: 'string', help: 'fleet name (key prefix)' },
  {
    flag: 'backend',
    env: 'FLEETDECK_BACKEND',
    path: ['backend', 'kind'],
    type: 'string',
    help: 'coordination backend: local or etcd',
  },
  {
    flag: 'etcd-endpoints',
    env: 'FLEETDECK_ETCD_ENDPOINTS',
    path: ['backend', 'endpoints'],
    type: 'list',
    help: 'etcd client URLs, comma-separated',
  },
  {
    flag: 'lease-ttl',
    env: 'FLEETDECK_LEASE_TTL',
    path: ['leaseTtlSeconds'],
    type: 'integer',
    help: 'seconds a crashed member stays listed',
  },
  {
    flag: 'tls-cert',
    env: 'FLEETDECK_TLS_CERT',
    path: ['api', 'tls', 'certFile'],
    type: 'string',
    help: 'PEM certificate: serve the API over HTTPS',
  },
  {
    flag: 'tls-key',
    env: 'FLEETDECK_TLS_KEY',
    path: ['api', 'tls', 'keyFile'],
    type: 'string',
    help: 'PEM private key of --tls-cert',
  },
  {
    flag: 'tls-client-ca',
    env: 'FLEETDECK_TLS_CLIENT_CA',
    path: ['api', 'tls', 'clientCaFile'],
    type: 'string',
    help: 'PEM CA: API callers must present a certificate it signed',
  },
  {
    flag: 'fleet-token-file',
    env: 'FLEETDECK_FLEET_TOKEN_FILE',
    path: ['fleetLink', 'tokenFile'],
    type: 'string',
    help: 'fleet credential file, the same on every member',
  },
  {
    flag: 'fleet-ca',
    env: 'FLEETDECK_FLEET_CA',
    path: ['fleetLink', 'caFile'],
    type: 'string',
    help: "PEM CA that signed the members' API certificates",
  },
  { flag: 'log-level', env: 'FLEETDECK_LOG_LEVEL', path: ['log', 'level'], type: 'string', help: 'pino log level' },
  {
    flag: 'log-format',
    env: 'FLEETDECK_LOG_FORMAT',
    path: ['log', 'format'],
    type: 'string',
    help: 'json (agent default) or pretty (demo default)',
  },
];
