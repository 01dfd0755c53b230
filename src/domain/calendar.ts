// Working-time calendar: agency-local working hours, holidays and the SLA arithmetic built on them; the public
// names of src/domain/calendar/, one file per concern (config shape, presets, local dates, validation, arithmetic).
export {
  AGENCY_TIME_ZONES, WEEKDAYS, type AgencyTimeZone, type Weekday, type CalendarConfig, type WorkingCalendar,
} from './calendar/config.js';
export {
  DEFAULT_WORKING_HOURS, RAMADAN_WORKING_HOURS, NEXT_YEAR_HOLIDAYS_FROM, yearsWithoutHolidays, HOLIDAYS_2026, FIXED_NATIONAL_HOLIDAYS,
  CUTI_BERSAMA_2026,
} from './calendar/presets.js';
export { createCalendar } from './calendar/working-time.js';
