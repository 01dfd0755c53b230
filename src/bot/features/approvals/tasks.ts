// /tugas: the approver's open tasks, each with a button that opens it as a fresh request.
import { Composer, Markup } from 'telegraf';
import { employeeNames } from '../../../app/repositories/employees.js';
import { openTasksOf } from '../../../app/tasks.js';
import { approvalTexts, caseCallback, taskLine } from '../../../chat/texts/approvals.js';
import { permitted } from '../../access.js';
import { employeeOf, type BotContext } from '../../context.js';
import { withWebAppRow } from '../../web-app.js';
import type { ApprovalKit } from './kit.js';

const MAX_TASKS_LISTED = 20;

export function tasksCommand(kit: ApprovalKit): Composer<BotContext> {
  const { deps } = kit;
  const composer = new Composer<BotContext>();

  composer.command('tugas', async (ctx) => {
    if (!(await permitted(ctx, deps, 'tasks'))) return;
    const me = employeeOf(ctx)!;
    const rows = await openTasksOf(deps.db, deps.procedures, me.id);
    if (rows.length === 0) return void (await ctx.reply(approvalTexts.noTasks));
    const now = deps.now();
    const names = await subjectNames(rows.map((r) => r.subjectId));
    const lines = [approvalTexts.tasksHeading(rows.length)];
    const buttons = [];
    for (const [i, row] of rows.slice(0, MAX_TASKS_LISTED).entries()) {
      const proc = deps.procedures.get(row.procedureCode);
      const step = proc.steps.find((s) => s.no === row.stepNo)!;
      const age = deps.calendar.workingMinutesBetween(row.stepEnteredAt, now);
      lines.push(taskLine(i + 1, { nama: names.get(row.subjectId) ?? '-', title: proc.title, period: row.period, step, enteredAt: row.stepEnteredAt, slaDueAt: row.slaDueAt }, now, age));
      buttons.push([Markup.button.callback(`${i + 1}. ${approvalTexts.openTask} — ${(names.get(row.subjectId) ?? '').slice(0, 30)}`, caseCallback({ op: 'op', caseId: row.id, version: row.version }))]);
    }
    if (rows.length > MAX_TASKS_LISTED) lines.push(`… dan ${rows.length - MAX_TASKS_LISTED} lainnya.`);
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: withWebAppRow(Markup.inlineKeyboard(buttons).reply_markup, deps, 'tugas') });
  });

  const subjectNames = (ids: string[]) => employeeNames(deps.db, ids);

  return composer;
}
