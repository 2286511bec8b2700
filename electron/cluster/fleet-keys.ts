/** The key layout under one fleet's prefix, shared by every key-value adapter (local, etcd, consul). */
export function fleetKeys(cluster: string) {
  const root = `fleetdeck/${cluster}/`;
  return {
    root,
    members: `${root}members/`,
    election: `${root}election/`,
    /** Shared values (log patterns, alert rules, ...) live here; callers' keys are relative to it. */
    kv: `${root}kv/`,
    member: (id: string) => `${root}members/${id}`,
  };
}
export type FleetKeys = ReturnType<typeof fleetKeys>;
