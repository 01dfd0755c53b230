// Maps domain error codes to the Indonesian text the user reads: the one place that does so.
import { DomainError } from '../domain/errors.js';
import { texts } from './views.js';

export function domainErrorText(error: DomainError): string {
  const d = error.details;
  switch (error.code) {
    case 'CONTACT_NOT_OWN':
      return texts.contactNotOwn;
    case 'PHONE_NOT_FOUND':
      return texts.phoneNotFound;
    case 'PHONE_AMBIGUOUS':
      return texts.phoneAmbiguous;
    case 'NIP_LINKED_ELSEWHERE':
      return texts.nipLinkedElsewhere;
    case 'TELEGRAM_LINKED_ELSEWHERE':
      return texts.telegramLinkedElsewhere(String(d.nama ?? ''));
    case 'EMPLOYEE_INACTIVE':
      return texts.employeeInactive;
    case 'CODE_INVALID':
      return texts.codeInvalid;
    case 'CODE_EXPIRED':
      return texts.codeExpired;
    case 'CODE_USED':
      return texts.codeUsed;
    case 'NIP_INVALID':
      return texts.nipInvalid(String(d.reason ?? error.message));
    case 'EMPLOYEE_NOT_FOUND':
      return texts.employeeNotFound(String(d.nip ?? ''));
    case 'NOT_AUTHORIZED':
      return texts.notAuthorized;
    case 'NOT_YOUR_UNIT':
      return texts.notYourUnit;
    case 'NOT_LINKED':
      return texts.notLinkedTarget(String(d.nama ?? 'Pegawai'));
    case 'ROSTER_ALREADY_DECIDED':
      return texts.rosterAlreadyDecided;
    default:
      return texts.unexpectedError;
  }
}
