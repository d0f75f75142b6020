// `npm run cli -- user add|reset-password|list …`: manage users without the web app.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { announceToServers } from '../events/pg-event-bridge';
import { openConfiguredDatabase } from '../store/open-configured';
import { addUser, CliError, listAllUsers, resetPassword } from './user-commands';

const USAGE = `Usage:
  npm run cli -- user list [--search TEXT]
  npm run cli -- user add USERNAME --extension DIGITS [--name "Display Name"] [--role agent|operator|supervisor|admin]
                           [--profile PROFILE] [--email ADDRESS] [--location TEXT]
  npm run cli -- user reset-password USERNAME
Uses the same DATA_DIR / DATABASE_URL as the server. With the embedded database, stop the server first.`;

async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      extension: { type: 'string' },
      role: { type: 'string' },
      profile: { type: 'string' },
      email: { type: 'string' },
      location: { type: 'string' },
      search: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [noun, verb, subject] = positionals;
  if (values.help || noun !== 'user' || !verb) return USAGE;
  const config = loadConfig(process.env);
  const database = await openConfiguredDatabase(config);
  try {
    if (verb === 'list') return await listAllUsers(database.db, values.search);
    if (!subject) throw new CliError(`Name the user: npm run cli -- user ${verb} USERNAME`);
    let output: string;
    if (verb === 'add')
      output = await addUser(database.db, config.sipDomain, { username: subject, ...values });
    else if (verb === 'reset-password') output = await resetPassword(database.db, config.sipDomain, subject);
    else throw new CliError(`Unknown command "user ${verb}".\n${USAGE}`);
    // Servers on a shared PostgreSQL hear of it at once (a reset's sessions end); PGlite has none running.
    if (database.kind === 'postgres') await announceToServers(database.db, [{ entity: 'user', id: null }]);
    return output;
  } finally {
    await database.close();
  }
}

run(process.argv.slice(2)).then(
  (output) => console.log(output),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
