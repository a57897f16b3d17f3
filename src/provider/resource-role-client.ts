// Handler code: the Lambda runtime provides the AWS SDK v3, so it is a development dependency only.
// eslint-disable-next-line import/no-extraneous-dependencies
import { SSMClient } from '@aws-sdk/client-ssm';
// eslint-disable-next-line import/no-extraneous-dependencies
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { HandlerPhase, PHASE_TAG_KEY } from './phases';

/**
 * How long a role session lasts: the shared functions' sessions assume the resource's role, which is role chaining,
 * and role chaining allows at most one hour (AWS IAM User Guide, "Methods to assume a role": role chaining).
 */
export const SESSION_SECONDS = 3600;
/** Credentials are assumed again this long before they expire, so that no call is signed with expiring ones. */
export const REFRESH_BEFORE_MS = 5 * 60 * 1000;
// The SDK retries throttling and transient errors with backoff itself; more attempts than its default of 3.
const MAX_ATTEMPTS = 6;

/** Temporary credentials of a resource's role, as the SDK takes them. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

// Module scope outlives an invocation: a warm function polls with the credentials it assumed at the first poll.
const sts = new STSClient({ maxAttempts: MAX_ATTEMPTS });
const sessions = new Map<string, RoleCredentials>();
const clients = new Map<string, SSMClient>();

/**
 * A credentials provider for the SDK: the resource role's credentials, assumed with STS AssumeRole and a session tag
 * of the phase, and kept for the next calls and invocations until 5 minutes before they expire. A refusal (such as
 * AccessDenied while a new role propagates in IAM) is thrown to the call that needed the credentials.
 */
export function resourceRoleCredentials(roleArn: string, phase: HandlerPhase): () => Promise<RoleCredentials> {
  const key = `${phase} ${roleArn}`;
  return async () => {
    const cached = sessions.get(key);
    if (cached && cached.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS) {
      return cached;
    }
    const { Credentials: credentials } = await sts.send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: `cdk-ssm-ops-${phase}`,
      DurationSeconds: SESSION_SECONDS,
      // The role's trust policy requires the tag, and its statements allow each call in the phases that make it.
      Tags: [{ Key: PHASE_TAG_KEY, Value: phase }],
    }));
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new Error(`sts:AssumeRole of ${roleArn} returned no credentials`);
    }
    const assumed: RoleCredentials = {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: new Date(credentials.Expiration),
    };
    sessions.set(key, assumed);
    return assumed;
  };
}

/**
 * An SSM client that acts with a resource's own role. Before each call it makes sure that the role's credentials are
 * there (from the cache, or assumed now), so that a refusal to assume the role is the error of that call, which the
 * handlers classify as they do Systems Manager's own errors; the SDK asks the same provider again when it signs.
 */
class ResourceRoleSsmClient extends SSMClient {
  public constructor(private readonly roleCredentials: () => Promise<RoleCredentials>) {
    super({ maxAttempts: MAX_ATTEMPTS, credentials: roleCredentials });
  }

  public send(command: any, optionsOrCallback?: any, callback?: any): any {
    if (typeof optionsOrCallback === 'function' || callback !== undefined) {
      return super.send(command, optionsOrCallback, callback);
    }
    return this.roleCredentials().then(() => super.send(command, optionsOrCallback));
  }
}

/**
 * The SSM client a handler uses for one request: with the role named in the resource's `RoleArn`, in this phase.
 * Clients are kept per role and phase, so a warm function reuses their connections too.
 *
 * A request without `RoleArn` comes from a resource that an earlier version of this library created, during the
 * deployment that upgrades it or its rollback, when the resource's own policy is still attached to the functions'
 * roles: it is served with the function's own credentials.
 */
export function resourceRoleSsm(event: { ResourceProperties: Record<string, any> }, phase: HandlerPhase): SSMClient {
  const roleArn: unknown = event.ResourceProperties.RoleArn;
  const key = typeof roleArn === 'string' && roleArn !== '' ? `${phase} ${roleArn}` : '';
  let client = clients.get(key);
  if (!client) {
    client = key === '' ? new SSMClient({ maxAttempts: MAX_ATTEMPTS }) : new ResourceRoleSsmClient(resourceRoleCredentials(roleArn as string, phase));
    clients.set(key, client);
  }
  return client;
}
