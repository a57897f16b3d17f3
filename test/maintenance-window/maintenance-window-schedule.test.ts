import { Duration } from 'aws-cdk-lib';
import { MaintenanceWindowSchedule } from '../../src';
import { testStack } from '../util';

describe('MaintenanceWindowSchedule', () => {
  test.each([
    [MaintenanceWindowSchedule.cron({ weekDay: 'SUN', hour: '3' }), 'cron(0 3 ? * SUN *)'],
    [MaintenanceWindowSchedule.cron({ day: 'L', hour: '2', month: 'JAN-JUN' }), 'cron(0 2 L JAN-JUN ? *)'],
    [MaintenanceWindowSchedule.cron({ weekDay: '6L', hour: '10', minute: '15' }), 'cron(15 10 ? * 6L *)'],
    [MaintenanceWindowSchedule.cron({ minute: '*/5' }), 'cron(*/5 * * * ? *)'],
    [MaintenanceWindowSchedule.rate(Duration.minutes(30)), 'rate(30 minutes)'],
    [MaintenanceWindowSchedule.rate(Duration.days(25)), 'rate(25 days)'],
    [MaintenanceWindowSchedule.at('2027-07-07T15:55:00'), 'at(2027-07-07T15:55:00)'],
    [MaintenanceWindowSchedule.expression('cron(24 30 09 ? * * *)'), 'cron(24 30 09 ? * * *)'],
    [MaintenanceWindowSchedule.expression('cron(30 09 ? * * *)'), 'cron(30 09 ? * * *)'],
  ])('%# accepts %s', (schedule, expression) => {
    schedule._check(testStack(), 'schedule');
    expect(schedule.expressionString).toBe(expression);
  });

  test.each([
    [MaintenanceWindowSchedule.cron({ month: '13' }), 'the month field "13" is not valid; use 1-12 or JAN-DEC with , - * /'],
    [MaintenanceWindowSchedule.cron({ day: '1', weekDay: 'MON' }), "day-of-month (1) and day-of-week (MON) can't both be given: one of them must be '?'"],
    [MaintenanceWindowSchedule.expression('rate(0 days)'), 'a rate must be more than zero'],
    [MaintenanceWindowSchedule.expression('weekly'), 'use cron(...), rate(...) or at(...)'],
  ])('%# fails when the expression is not valid', (schedule, problem) => {
    expect(() => schedule._check(testStack(), 'schedule')).toThrow(
      `Stack: schedule '${schedule.expressionString}' is not a valid maintenance window schedule; ${problem}`);
  });
});
