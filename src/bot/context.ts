// What every bot feature receives: dependencies, and the linked employee resolved per update.
import type { Context } from 'telegraf';
import type { AccessPolicy } from '../app/access-policy.js';
import type { ExportUploadOptions } from '../app/export-upload.js';
import type { Foreground } from '../app/foreground.js';
import type { JobControl } from '../app/job-control.js';
import type { ProcedureRegistry } from '../app/procedures.js';
import type { AppConfig } from '../config.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import type { Db } from '../app/database.js';
import type { EmployeeProfile } from '../app/repositories/employees.js';
import type { Logger } from '../logger.js';
import type { RoleName } from '../chat/texts/common.js';

export interface BotDeps {
  db: Db;
  config: AppConfig;
  logger: Logger;
  now: () => Date;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
  /** Decides every read and action (src/app/access-policy.ts); handlers ask it, never check roles themselves. */
  access: AccessPolicy;
  /** Filled once the job system has started (it needs the bot's Telegram client, so it starts after the bot). */
  services: { jobs?: JobControl };
  /** The upload limit and temporary directory of exports sent as files (/ekspor, the Mini App); defaults in production. */
  exportUpload?: ExportUploadOptions;
  /** Counts the updates being handled, for background work of the same process to wait behind (src/app/foreground.ts). */
  foreground?: Foreground;
}

export interface BotState {
  employee: EmployeeProfile | null;
  log: Logger;
  /** The press of this update has been answered (answerCbQuery may be called once). */
  callbackAnswered?: boolean;
}

/** telegraf's narrowed contexts drop custom state types, so state is read through these accessors. */
export type BotContext = Context;

export function employeeOf(ctx: Context): EmployeeProfile | null {
  return (ctx.state as Partial<BotState>).employee ?? null;
}

export function setEmployee(ctx: Context, employee: EmployeeProfile | null): void {
  (ctx.state as Partial<BotState>).employee = employee;
}

export function logOf(ctx: Context): Logger {
  return (ctx.state as BotState).log;
}

export function rolesOf(employee: EmployeeProfile | null): RoleName[] {
  if (!employee) return ['asn'];
  const roles: RoleName[] = ['asn'];
  if (employee.isAtasan) roles.push('atasan');
  if (employee.roles.some((r) => r.role === 'pengelola')) roles.push('pengelola');
  if (employee.roles.some((r) => r.role === 'bkpp_admin')) roles.push('bkpp_admin');
  return roles;
}

export function isPrivateChat(ctx: Context): boolean {
  return ctx.chat?.type === 'private';
}

/** The argument after a command: "/kode 1985..." → "1985...". */
export function commandArgument(ctx: Context): string {
  const text = ctx.message && 'text' in ctx.message ? ctx.message.text : '';
  const space = text.indexOf(' ');
  return space === -1 ? '' : text.slice(space + 1).trim();
}

/** Answers a callback query at most once (the spinner stops), whatever path the handler takes; failures are logged. */
export function callbackAnswerer(ctx: Context): (text?: string) => Promise<void> {
  let answered = false;
  return async (text?: string) => {
    if (answered) return;
    answered = true;
    await ctx.answerCbQuery(text).catch((error: unknown) => logOf(ctx).warn({ err: error }, 'answerCbQuery failed'));
  };
}
