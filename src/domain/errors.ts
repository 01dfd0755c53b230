// Domain errors with stable codes; the bot maps codes to Indonesian text in one place (src/chat/texts/errors.ts).

/**
 * Every code a DomainError may carry. src/chat/texts/errors.ts maps each to Indonesian text exhaustively: a code
 * added here without a text there does not compile.
 */
export const ERROR_CODES = [
  'ACCESS_DENIED',
  'ADMIN_ONLY',
  'ALREADY_PROCESSED',
  'BROADCAST_ALREADY_DECIDED',
  'BROADCAST_NOT_FOUND',
  'BROADCAST_NOT_YOURS',
  'CALENDAR_NO_WORKING_TIME',
  'CASE_CLOSED',
  'CASE_NOT_FOUND',
  'CASE_NOT_VISIBLE',
  'CASE_RETURNED',
  'CODE_EXPIRED',
  'CODE_INVALID',
  'CODE_USED',
  'CONTACT_NOT_OWN',
  'DATE_INVALID',
  'DATE_ORDER',
  'DATE_PAST',
  'DELEGATION_NOT_ALLOWED',
  'DELEGATION_OVERLAP',
  'DELEGATION_USAGE',
  'DOCUMENT_NOT_AVAILABLE',
  'DOCUMENT_NOT_READY',
  'EMPLOYEE_INACTIVE',
  'EMPLOYEE_INACTIVE_SELF',
  'EMPLOYEE_NOT_FOUND',
  'INVALID_ARGUMENT',
  'INVALID_CALENDAR',
  'INVALID_COUNTS',
  'INVALID_DATE',
  'INVALID_KELENGKAPAN',
  'INVALID_ORG_RATING',
  'INVALID_OVERRIDES',
  'INVALID_PERIOD',
  'INVALID_PROCEDURE',
  'INVALID_RATING',
  'INVALID_RETURN_TARGET',
  'INVALID_TIME',
  'INVALID_TIME_ZONE',
  'INVALID_WAKTU',
  'KEBERATAN_ALREADY_FILED',
  'KEBERATAN_NOT_RECEIVED',
  'KEBERATAN_NO_RESULT',
  'KEBERATAN_WINDOW_CLOSED',
  'MISSING_KELENGKAPAN',
  'NIP_INVALID',
  'NIP_LINKED_ELSEWHERE',
  'NOT_ASSIGNEE',
  'NOT_AUTHORIZED',
  'NOT_LINKED',
  'NOT_RETURNED',
  'NOT_YOUR_UNIT',
  'NO_SUCH_WORKING_DAY',
  'ORG_RATING_LOCKED',
  'PHONE_AMBIGUOUS',
  'PHONE_NOT_FOUND',
  'PROCEDURE_MISMATCH',
  'RANGE_TOO_LONG',
  'REALISASI_INCOMPLETE',
  'REASON_REQUIRED',
  'REASON_TOO_SHORT',
  'RETURN_NOT_ALLOWED',
  'ROSTER_ALREADY_DECIDED',
  'SELF_APPROVAL',
  'SELF_NOMINATION',
  'SKP_DRAFT_INCOMPLETE',
  'SKP_NOT_ESTABLISHED',
  'STEP_ALREADY_DONE',
  'STEP_MISMATCH',
  'SUBSTITUTE_INACTIVE',
  'SUBSTITUTE_ON_LEAVE',
  'SUBSTITUTE_SELF',
  'TELEGRAM_LINKED_ELSEWHERE',
  'UNIT_NOT_FOUND',
  'UNKNOWN_PROCEDURE',
  'UNKNOWN_STEP',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? code);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
