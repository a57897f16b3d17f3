import { CfnParameter, Duration, Fn } from 'aws-cdk-lib';
import { AssociationSchedule } from '../../src';
import { testStack } from '../util';

function check(schedule: AssociationSchedule) {
  schedule._check(testStack(), 'schedule');
  return schedule.expressionString;
}

describe('AssociationSchedule', () => {
  test.each([
    [AssociationSchedule.cron({ hour: '2', minute: '0', weekDay: 'SUN' }), 'cron(0 2 ? * SUN *)'],
    [AssociationSchedule.cron({}), 'cron(0 * * * ? *)'],
    [AssociationSchedule.cron({ minute: '0/30' }), 'cron(0/30 * * * ? *)'],
    [AssociationSchedule.cron({ minute: '15,45' }), 'cron(15,45 * * * ? *)'],
    [AssociationSchedule.cron({ hour: '0/4' }), 'cron(0 0/4 * * ? *)'],
    [AssociationSchedule.cron({ minute: '30', hour: '23', weekDay: 'TUE#3' }), 'cron(30 23 ? * TUE#3 *)'],
    [AssociationSchedule.cron({ weekDay: '3L' }), 'cron(0 * ? * 3L *)'],
    [AssociationSchedule.cron({ day: 'L', hour: '1' }), 'cron(0 1 L * ? *)'],
    [AssociationSchedule.rate(Duration.minutes(30)), 'rate(30 minutes)'],
    [AssociationSchedule.rate(Duration.hours(1)), 'rate(1 hour)'],
    [AssociationSchedule.rate(Duration.days(7)), 'rate(7 days)'],
    [AssociationSchedule.rate(Duration.days(30)), 'rate(30 days)'],
    [AssociationSchedule.expression('cron(0 */30 * * * ? *)'), 'cron(0 */30 * * * ? *)'],
    [AssociationSchedule.expression('cron(15 13 ? * MON *)'), 'cron(15 13 ? * MON *)'],
    [AssociationSchedule.expression('at(2030-07-07T15:55:00)'), 'at(2030-07-07T15:55:00)'],
  ])('%# renders %s', (schedule, expression) => {
    expect(check(schedule)).toBe(expression);
  });

  test.each([
    [AssociationSchedule.rate(Duration.minutes(10)), "'rate(10 minutes)' is not a valid association schedule; associations take rates from 30 minutes to less than 31 days"],
    [AssociationSchedule.rate(Duration.days(31)), "'rate(31 days)' is not a valid association schedule; associations take rates from 30 minutes to less than 31 days"],
    [AssociationSchedule.rate(Duration.seconds(90)), "'rate(1.5 minutes)' is not a valid association schedule; a rate expression is written rate(<positive whole number> minutes|hours|days)"],
    [AssociationSchedule.expression('rate(1 hours)'), "'rate(1 hours)' is not a valid association schedule; write rate(1 hour): the unit is singular for 1"],
    [AssociationSchedule.expression('rate(5 hour)'), "'rate(5 hour)' is not a valid association schedule; write rate(5 hours): the unit is plural for more than 1"],
    [AssociationSchedule.cron({ minute: '*' }), "the minutes field '*' runs more often than every 30 minutes, the most State Manager allows"],
    [AssociationSchedule.cron({ minute: '0/15' }), "the minutes field '0/15' runs more often than every 30 minutes"],
    [AssociationSchedule.cron({ minute: '0,10' }), "the minutes field '0,10' runs more often than every 30 minutes"],
    [AssociationSchedule.cron({ minute: '0/45' }), "the minutes field '0/45' runs more often than every 30 minutes"],
    [AssociationSchedule.cron({ minute: '0-59' }), "the minutes field '0-59' runs more often than every 30 minutes"],
    [AssociationSchedule.cron({ day: '?' }), "day-of-month and day-of-week are both '?': give one of them"],
    [AssociationSchedule.cron({ day: '1', weekDay: 'MON' }), "day-of-month (1) and day-of-week (MON) can't both be given: one of them must be '?'"],
    [AssociationSchedule.cron({ hour: '24' }), 'the hours field "24" is not valid; use 0-23 with , - * /'],
    [AssociationSchedule.cron({ weekDay: 'FUNDAY' }), 'the day-of-week field "FUNDAY" is not valid'],
    [AssociationSchedule.expression('cron(0 0 1 JAN ? *)'), "associations do not take months: the month field must be '*', got 'JAN'"],
    [AssociationSchedule.expression('cron(5 0 0 * * ? *)'), "the seconds field must be 0 in association cron expressions, got '5'"],
    [AssociationSchedule.expression('cron(0 0 * *)'), 'a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), or 7 with a leading seconds field; got 4'],
    [AssociationSchedule.expression('at(2030-13-07T15:55:00)'), 'a one-time schedule is written at(yyyy-mm-ddThh:mm:ss)'],
    [AssociationSchedule.expression('every day'), 'use cron(...), rate(...) or at(...)'],
  ])('%# fails when the schedule is not one associations take', (schedule, message) => {
    expect(() => check(schedule)).toThrow(`Stack: schedule ${message.startsWith("'") ? '' : `'${schedule.expressionString}' is not a valid association schedule; `}${message}`);
  });

  test('a token expression passes unchecked', () => {
    expect(() => check(AssociationSchedule.expression(Fn.ref('Schedule')))).not.toThrow();
  });

  test('a rate from a token keeps its unit', () => {
    const stack = testStack();
    const hours = new CfnParameter(stack, 'Hours', { type: 'Number' }).valueAsNumber;
    expect(stack.resolve(AssociationSchedule.rate(Duration.hours(hours)).expressionString)).toEqual({ 'Fn::Join': ['', ['rate(', { Ref: 'Hours' }, ' hours)']] });
  });
});
