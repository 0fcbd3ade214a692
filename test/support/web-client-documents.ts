import fs from 'node:fs';
import path from 'node:path';

/**
 * A request body naming one of the built web client's operations by hash (trusted documents),
 * as the web client sends it: what a browser session may send in production.
 */
export function webClientOperation(operationName: string, variables?: Record<string, unknown>): Record<string, unknown> {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../dist/client/trusted-documents.json'), 'utf8')) as Record<string, string>;
  const found = Object.entries(manifest).find(([, text]) => new RegExp(`^(query|mutation|subscription) ${operationName}\\b`).test(text));
  if (!found) throw new Error(`The built web client has no operation ${operationName} (npm run build:client)`);
  return { extensions: { persistedQuery: { version: 1, sha256Hash: found[0] } }, ...(variables ? { variables } : {}) };
}
