// The employee's own submission runs to its period's Batas Pengisian: an SKP begun on 4 January is due with the
// year's SKP deadline, a realisation begun on 28 December on 5 January, and the overdue reminder comes after it.
import { describe, expect, it } from 'vitest';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { slaDueOf } from '../../src/app/case-engine/effects-and-events.js';
import { parseDeployment } from '../../src/config.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { slaCadence, slaDeadline } from '../../src/domain/sla.js';
import { exampleDeployment } from '../support/app.js';
import type { Effect } from '../../src/domain/case.js';

const parsed = parseDeployment(exampleDeployment());
const calendar = createCalendar(parsed.calendar!);
const procedures = createProcedureRegistry(parsed.deployment!.procedures, { deadlineDay: 5, skpDeadline: '01-31' });
const deps = { db: null as never, calendar, procedures };
const wib = (iso: string) => new Date(`${iso}+07:00`);
const startSla = (stepNo: number, slaMinutes = 450): Effect[] => [{ kind: 'start_sla', stepNo, revision: 1, slaMinutes } as Effect];

describe("the subject's own submission", () => {
  it('is due at the end of its Batas Pengisian while that is later than the SLA', () => {
    const monthly = procedures.get('bulanan-tangerang');
    // Monday 28 December 2026: December's realisation is due Tuesday 5 January 2027.
    expect(slaDueOf(deps, startSla(3), wib('2026-12-28T09:00'), { proc: monthly, period: '2026-12' })).toEqual(wib('2027-01-05T23:59'));
    // Begun after the deadline (November's, due 7 December): the step's own SLA, one working day.
    const late = wib('2026-12-08T09:00');
    expect(slaDueOf(deps, startSla(3), late, { proc: monthly, period: '2026-11' })).toEqual(slaDeadline(calendar, late, 450));
    // The year's SKP: 31 January 2027 is a Sunday, so Monday 1 February.
    const skp = procedures.get('skp-banyuwangi');
    expect(slaDueOf(deps, startSla(3), wib('2027-01-04T09:00'), { proc: skp, period: '2027' })).toEqual(wib('2027-02-01T23:59'));
    // Other steps keep their SLA: the atasan's check of the SKP, the subject's acknowledgement of a rating.
    const at = wib('2027-01-04T09:00');
    expect(slaDueOf(deps, startSla(4), at, { proc: skp, period: '2027' })).toEqual(slaDeadline(calendar, at, 450));
    expect(slaDueOf(deps, startSla(6), at, { proc: monthly, period: '2026-12' })).toEqual(slaDeadline(calendar, at, 450));
  });

  it('is told it is late on the first working moment after the deadline, not at the deadline day’s closing', () => {
    const entered = wib('2026-12-28T09:00');
    const due = wib('2027-01-05T23:59');
    const minutes = calendar.workingMinutesBetween(entered, due);
    const [point] = slaCadence(calendar, entered, minutes, [{ atPercent: 100, notify: ['assignee'], markOverdue: true }], due);
    expect(point!.fireAt).toEqual(calendar.nextWorkingInstant(due));
    expect(calendar.localDate(point!.fireAt)).toBe('2027-01-06');
    // A due date inside working hours is where the point fires, as before.
    const inHours = slaDeadline(calendar, entered, 450);
    const [same] = slaCadence(calendar, entered, 450, [{ atPercent: 100, notify: ['assignee'] }], inHours);
    expect(same!.fireAt).toEqual(inHours);
  });
});
