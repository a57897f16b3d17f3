import { cancelCommand, findRunningOfResource, isRunning, readCommand } from './command-lookup';
import { Context } from './context';
import { describe } from './nodes-report';
import { ResultRecord } from './result-record';

// The running commands of a resource: a new command of it is sent, and its delete command too, only once they have
// stopped, so that two commands of a resource never run at once (an update rolled back while its command runs, say).

/** Cancels every running command of the resource (but this request's); answers their IDs. */
export async function cancelRunning(ctx: Context, record: ResultRecord | undefined): Promise<string[]> {
  const running = await findRunningOfResource(ctx.ssm, ctx.resource, ctx.marker);
  // The recorded command too: ListCommands may not list a command sent a moment ago as Executing yet.
  if (record?.CommandId && record.Marker !== ctx.marker && !running.some((command) => command.CommandId === record.CommandId)) {
    const recorded = await readCommand(ctx.ssm, record.CommandId);
    if (isRunning(recorded)) {
      running.push(recorded!);
    }
  }
  for (const command of running.filter((candidate) => candidate.Status !== 'Cancelling')) {
    await cancelCommand(ctx.ssm, command.CommandId!)
      // isComplete cancels again whatever still runs; the command may also have ended meanwhile.
      .catch((error) => console.log(`${ctx.event.LogicalResourceId}: cancelling ${command.CommandId} failed: ${describe(error)}`));
  }
  return running.map((command) => command.CommandId!);
}

/** Those of the commands that still run; those not being cancelled yet are cancelled again. */
export async function stillRunningOf(ctx: Context, commandIds: string[]): Promise<string[]> {
  const running: string[] = [];
  for (const commandId of commandIds) {
    const command = await readCommand(ctx.ssm, commandId);
    if (isRunning(command)) {
      running.push(commandId);
      if (command!.Status !== 'Cancelling') {
        await cancelCommand(ctx.ssm, commandId).catch((error) => console.log(`cancelling ${commandId} failed again: ${describe(error)}`));
      }
    }
  }
  return running;
}

/** Cancels a command, and says truthfully whether it was. */
export async function cancelled(ctx: Context, commandId: string, subject: string): Promise<string> {
  try {
    await cancelCommand(ctx.ssm, commandId);
    return `${subject} was cancelled`;
  } catch (error) {
    return `cancelling ${subject} failed (${describe(error)}): cancel it with aws ssm cancel-command --command-id ${commandId}`;
  }
}
