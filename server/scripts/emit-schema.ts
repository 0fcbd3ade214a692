/** `npm run schema`: writes schema/schema.graphql from the code (never edit that file by hand). */
import fs from 'node:fs';
import path from 'node:path';
import { renderSchemaSdl } from '../src/graphql/schema';
import { projectRoot } from '../src/project-root';

void (async () => {
  const file = path.join(projectRoot(), 'schema', 'schema.graphql');
  fs.writeFileSync(file, await renderSchemaSdl());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
})();
