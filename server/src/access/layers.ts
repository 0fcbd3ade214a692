/**
 * The two independent layers that enforce who may read what. Both are always on in a running
 * platform; tests switch one off at a time to prove the other denies on its own. There is no
 * environment variable for this on purpose: only code that builds the app can change it.
 */
export interface AccessLayers {
  /** PostgreSQL row-level security: requests run as the application role. */
  database: boolean;
  /** The policy module's filters in every read path (server/src/access/policy.ts). */
  application: boolean;
}

export const BOTH_LAYERS: AccessLayers = Object.freeze({ database: true, application: true });
