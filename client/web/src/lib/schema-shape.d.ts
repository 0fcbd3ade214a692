/** Built by client/vite.config.mts from schema/schema.graphql. */
declare module 'virtual:schema-shape' {
  /** Interface name → the object types implementing it. */
  export const possibleTypes: Record<string, string[]>;
  /** Object types without an `id`: stored inside their parent, not as entities. */
  export const embeddedTypes: string[];
  /** Every mutation field. */
  export const mutationFields: string[];
  /** Query fields returning a connection (lists a mutation may change). */
  export const listQueryFields: string[];
  /** Query field → the record type it lists (a connection's node type), or its own type otherwise. */
  export const queryFieldTypes: Record<string, string>;
}
