import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { projectRoot } from '../../src/project-root';

/**
 * A report is one GraphQL query in a `.graphql` file under client/reports/ (or any file given
 * by path, so a person can copy one, change it and run it). Conventions, all optional:
 * - the first comment lines describe it (`npm run report -- list` shows the first);
 * - `# rows: a.b.c` names where the rows are in the result; otherwise the first list or
 *   connection found (a connection's rows are its `edges.node`). Several `# rows:` lines make
 *   a report of several sections (tables), each printed under its path; only a one-section
 *   report pages through a connection;
 * - variables the runner fills when the query declares them: `$from`, `$to` (--from, --to),
 *   `$org` (--org, the organisation code), `$orgId` / `$orgIds` (--org, resolved to its ID),
 *   `$first` and `$after` (paging through a connection, a page at a time), and any other with
 *   `--var name=value`.
 */
export interface ReportDocument {
  readonly name: string;
  readonly file: string;
  readonly description: string;
  readonly text: string;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** Declared variables: name → type as written (e.g. `LocalDate!`). */
  readonly variables: ReadonlyMap<string, string>;
  /** Variables that must be given: non-null and without a default. */
  readonly required: ReadonlySet<string>;
  /** Response keys from `data` to each section's rows, when the document says (`# rows:`). */
  readonly rowsPaths: readonly (readonly string[])[];
}

/** Where the report documents live. */
export function reportsDir(): string {
  return path.join(projectRoot(), 'client', 'reports');
}

/** Every report under client/reports, by name, with its one-line description. */
export function listReports(): { name: string; description: string }[] {
  return fs
    .readdirSync(reportsDir())
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => {
      const report = loadReport(path.join(reportsDir(), f));
      return { name: report.name, description: report.description };
    });
}

/** The leading comment lines of a document, without the `#`, skipping `rows:` directives. */
function leadingComments(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines;
}

/** Loads a report by name (client/reports/<name>.graphql) or by path to a .graphql file. */
export function loadReport(nameOrFile: string): ReportDocument {
  const byPath = nameOrFile.endsWith('.graphql') || nameOrFile.includes('/');
  const file = byPath ? path.resolve(nameOrFile) : path.join(reportsDir(), `${nameOrFile}.graphql`);
  if (!fs.existsSync(file)) {
    throw new Error(`no report "${nameOrFile}" (${file} does not exist); npm run report -- list shows them all`);
  }
  const text = fs.readFileSync(file, 'utf8');
  const document = parse(text);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1 || operations[0].operation !== 'query') {
    throw new Error(`${file}: a report holds exactly one query (found ${operations.map((o) => o.operation).join(', ') || 'none'})`);
  }
  const comments = leadingComments(text);
  const rowsLines = comments.filter((l) => /^rows:/.test(l));
  return {
    name: path.basename(file, '.graphql'),
    file,
    description: comments.find((l) => l.trim() && !/^rows:/.test(l))?.trim() ?? '',
    text,
    document,
    operation: operations[0],
    variables: new Map((operations[0].variableDefinitions ?? []).map((v) => [v.variable.name.value, print(v.type)])),
    required: new Set(
      (operations[0].variableDefinitions ?? []).filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue).map((v) => v.variable.name.value),
    ),
    rowsPaths: rowsLines.map((l) => l.replace(/^rows:\s*/, '').trim().split('.')),
  };
}

/** A column: its heading (dotted response keys) and the keys to follow from a row. */
export interface Column {
  readonly header: string;
  readonly path: readonly string[];
}

/**
 * The columns of a row, from the document's selection (not from the data, so a CSV's header
 * is known before the first page and null values keep their column). Nested objects become
 * dotted columns (`claimingOrganisation.code`); fragments are expanded.
 */
export function columnsOf(report: ReportDocument, rowsKeys: readonly string[]): Column[] {
  const fragments = new Map(
    report.document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  let selection: SelectionSetNode | undefined = report.operation.selectionSet;
  for (const key of rowsKeys) {
    selection = fieldsOf(selection, fragments).find((f) => (f.alias ?? f.name).value === key)?.selectionSet;
    if (!selection) return [];
  }
  const columns: Column[] = [];
  const walk = (set: SelectionSetNode, prefix: string[]) => {
    for (const field of fieldsOf(set, fragments)) {
      const keyPath = [...prefix, (field.alias ?? field.name).value];
      if (field.selectionSet) walk(field.selectionSet, keyPath);
      else if (!columns.some((c) => c.header === keyPath.join('.'))) columns.push({ header: keyPath.join('.'), path: keyPath });
    }
  };
  if (selection) walk(selection, []);
  return columns;
}

type FieldNodeOf = Extract<SelectionSetNode['selections'][number], { kind: Kind.FIELD }>;

function fieldsOf(set: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): FieldNodeOf[] {
  if (!set) return [];
  return set.selections.flatMap((s): FieldNodeOf[] => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf(s.selectionSet, fragments);
    return fieldsOf(fragments.get(s.name.value)?.selectionSet, fragments);
  });
}
