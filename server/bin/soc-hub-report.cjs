#!/usr/bin/env node
/**
 * `npx soc-hub-report <report> [options]` (or, once installed, `soc-hub-report ...`): the report
 * command, as `npm run report --` runs it (built code, rebuilt only when sources changed).
 */
'use strict';
process.argv.splice(2, 0, 'report/main');
require('./run-built.cjs');
