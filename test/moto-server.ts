import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { SSMClient } from '@aws-sdk/client-ssm';

// moto's server on 127.0.0.1, for the handlers' real SDK calls over HTTP: started by a test file's beforeAll and
// stopped by its afterAll. Every wait is bounded, and each hook and test that starts or calls the server has its own
// budget, far above what it needs on an idle machine: a busy machine makes it slower, never wrong.
export const HTTP_TIMEOUT_MS = 10_000;
export const HOOK_BUDGET_MS = 60_000;
export const TEST_BUDGET_MS = 120_000;
const SERVER_START_MS = 45_000;
const SERVER_STOP_MS = 10_000;

const MOTO = path.join(__dirname, '..', '.venv', 'bin', 'moto_server');
const available = fs.existsSync(MOTO);
if (!available && process.env.CI) {
  throw new Error(`moto_server is missing at ${MOTO}: run 'bash scripts/python-env.sh' (the test task does) to install it`);
}

/** `describe` where moto is installed (the build installs it), `describe.skip` elsewhere. */
export const describeWithMoto = available ? describe : describe.skip;

/** A running moto server and an SSM client of it. */
export interface MotoServer {
  /** The server's URL, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly ssm: SSMClient;
  /** Forgets everything the server holds (moto's own reset), for a test that starts afresh. */
  reset(): Promise<void>;
  /** Stops the server, waiting for it to exit for at most 10 seconds. */
  stop(): Promise<void>;
}

/** Starts moto's server on a free port of 127.0.0.1 and waits until it answers. */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const server = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  try {
    await waitForPort(port, Date.now() + SERVER_START_MS);
  } catch (error) {
    server.kill();
    throw error;
  }
  const ssm = new SSMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 2,
    requestHandler: { connectionTimeout: HTTP_TIMEOUT_MS, requestTimeout: HTTP_TIMEOUT_MS },
  });
  return {
    endpoint,
    ssm,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    },
    stop: () => stop(server, ssm),
  };
}

/**
 * Starts moto before the tests of the calling block, resets it before each test and stops it after them all; gives
 * the running server.
 */
export function useMotoServer(): () => MotoServer {
  let moto: MotoServer | undefined;
  beforeAll(async () => {
    moto = await startMotoServer();
  }, HOOK_BUDGET_MS);
  afterAll(async () => moto?.stop(), HOOK_BUDGET_MS);
  beforeEach(async () => moto!.reset(), HOOK_BUDGET_MS);
  return () => moto!;
}

async function stop(server: ChildProcess, ssm: SSMClient): Promise<void> {
  ssm.destroy();
  if (server.exitCode !== null) {
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill();
  await Promise.race([exited, new Promise((resolve) => {
    timer = setTimeout(resolve, SERVER_STOP_MS);
  })]);
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.setTimeout(1_000, () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`moto_server did not answer on 127.0.0.1:${port}`);
}
