/**
 * `npm run token -- <username>`: prints a development token for a user, signed with the same
 * local key the server uses (under DATA_DIR). Use it as `Authorization: Bearer <token>`.
 */
import { loadOrCreateDevKeys, signDevToken } from '../src/auth/dev-keys';
import { loadConfig } from '../src/config';
import { demoUsers } from '../src/db/seed/demo-identity';

void (async () => {
  const username = process.argv[2];
  if (!username || username.startsWith('-')) {
    console.error(`usage: npm run token -- <username>\ndemo users: ${demoUsers.map((u) => u.username).join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  if (!config.allowDevTokens) {
    console.error('Development tokens are refused in production (set ALLOW_DEV_TOKENS=true for a demonstration).');
    process.exit(2);
  }
  if (!demoUsers.some((u) => u.username === username)) {
    console.error(`note: "${username}" is not a demo user; the server accepts the token only if that user exists.`);
  }
  console.log(await signDevToken(await loadOrCreateDevKeys(config.dataDir), username));
})();
