import { reportHandler } from './report';

/** The report function of FailureReport: one per stack, invoked by the rules of every report in it. */
export const handler = reportHandler();
