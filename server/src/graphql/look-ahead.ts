import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * What a query asks for below a field, by field name (aliases and fragments merged), so that a
 * list can fetch what its items will need in the same round trip as the list itself. Only a
 * hint: a field skipped by @skip/@include still counts (fetched for nothing, never wrong).
 */
export class Selection {
  private constructor(
    private readonly fields: Map<string, FieldNode[]>,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  /** The selection of the field being resolved. */
  static of(info: GraphQLResolveInfo): Selection {
    return Selection.from(info.fieldNodes, info.fragments);
  }

  private static from(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Selection {
    const fields = new Map<string, FieldNode[]>();
    const collect = (set: SelectionSetNode | undefined) => {
      for (const s of set?.selections ?? []) {
        if (s.kind === 'Field') fields.set(s.name.value, [...(fields.get(s.name.value) ?? []), s]);
        else if (s.kind === 'InlineFragment') collect(s.selectionSet);
        else collect(fragments[s.name.value]?.selectionSet);
      }
    };
    for (const node of nodes) collect(node.selectionSet);
    return new Selection(fields, fragments);
  }

  has(name: string): boolean {
    return this.fields.has(name);
  }

  /** What is asked for below `name` (empty when it is not asked for). */
  child(name: string): Selection {
    return Selection.from(this.fields.get(name) ?? [], this.fragments);
  }
}
