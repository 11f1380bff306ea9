// The `tarmac` command.
import { Command, InvalidArgumentError } from 'commander';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { banner, defaultDataDir, DEFAULT_PORT, startServer } from '../server/start.js';
import { registerRulesCommands } from './rules.js';
import { registerImportCommands } from './import.js';
import { registerDeviceCommands } from './device.js';
import { registerDemoCommands } from './demo.js';
import { registerExplainCommands } from './explain.js';

const program = new Command();
program.name('tarmac').description('Windows Autopilot control plane behind a Microsoft Graph-compatible API');

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('the port must be an integer from 0 to 65535.');
  return n;
}

program
  .command('serve')
  .description('start the server (Graph API, identity endpoints and control API)')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on', portNumber, DEFAULT_PORT)
  .option('--data <dir>', 'data folder (SQLite database, control key, local CA)', defaultDataDir())
  .option('--memory', 'keep all state in memory; write nothing to disk')
  .option('--https', 'serve TLS with a certificate from a local certificate authority')
  .option('--database-url <url>', 'postgres://… to use PostgreSQL (also TARMAC_DATABASE_URL)')
  .option('--control-key <key>', 'key for the /_tarmac control API (also TARMAC_CONTROL_KEY)')
  .option('--no-demo', 'do not create the demo tenant on first start')
  .option('--log', 'log every request')
  .action(async (opts) => {
    const server = await startServer({
      host: opts.host,
      port: opts.port,
      data: opts.data,
      memory: opts.memory,
      https: opts.https,
      databaseUrl: opts.databaseUrl,
      controlKey: opts.controlKey,
      demo: opts.demo,
      logger: opts.log,
    });
    console.log(banner(server));
    const stop = async () => {
      // Open keep-alive connections must not keep a stopped server alive.
      setTimeout(() => process.exit(0), 3000).unref();
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('cert')
  .description("print the absolute path of the local CA certificate, for NODE_EXTRA_CA_CERTS")
  .option('--data <dir>', 'data folder', defaultDataDir())
  .action(async (opts) => {
    const { caFilePath, ensureTls } = await import('../server/tls.js');
    const tlsDir = join(resolve(opts.data), 'tls');
    if (!existsSync(caFilePath(tlsDir))) await ensureTls(tlsDir, 'localhost');
    console.log(caFilePath(tlsDir));
  });

registerRulesCommands(program);
registerImportCommands(program);
registerDeviceCommands(program);
registerDemoCommands(program);
registerExplainCommands(program);

program.parseAsync(process.argv).catch((err) => {
  console.error(`tarmac: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
