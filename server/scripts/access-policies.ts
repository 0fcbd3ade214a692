/**
 * `npm run -s access:policies`: prints the row-level security the access catalogue calls for
 * (server/src/access/row-level-security.sql.ts), as SQL statements, to put in a new migration
 * when test/access/catalogue-policies.test.ts says the database and the catalogue disagree.
 */
import { rowLevelSecurityStatements } from '../src/access/row-level-security.sql';

process.stdout.write(`${rowLevelSecurityStatements().join(';\n\n')};\n`);
