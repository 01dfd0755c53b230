// What the engine takes and gives back: its dependencies, the case row, and a transition's input and result.
import type { Db } from '../../db/client.js';
import type { WorkingCalendar } from '../../domain/calendar.js';
import type { CaseCommand, Effect, TransitionEvent } from '../../domain/case.js';
import type { Procedure } from '../../domain/procedure.js';
import type { MessageRef } from '../case-messages.js';
import type { ProcedureRegistry } from '../procedures.js';
import type { CaseRow } from '../repositories/cases.js';

export interface EngineDeps {
  db: Db;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
}

export type { CaseRow };

export interface ActInput {
  caseId: string;
  command: CaseCommand;
  actorId: string;
  /** The version the actor saw (from the button); a different current version means someone acted first. */
  expectedVersion?: number;
  onBehalfReason?: string;
  now: Date;
  /** A monthly realisation submitted after its deadline is accepted and marked late. */
  late?: boolean;
  /**
   * Close the case's open request messages in the same transaction (their edits are the caller's): the close then
   * costs no round trip of its own, and a transition that fails leaves them open.
   */
  closeMessages?: boolean;
  /**
   * The case's procedure as the caller read it (a button's case head): a completion then asks who holds the next
   * step in the same write as the row lock instead of a round trip after it. Checked against the locked row.
   */
  procedureHint?: string;
}

export interface ActResult {
  case: CaseRow;
  event: TransitionEvent;
  effects: Effect[];
  procedure: Procedure;
  /** The messages closed with the transition (closeMessages), to be edited; empty otherwise. */
  closedMessages: MessageRef[];
}
