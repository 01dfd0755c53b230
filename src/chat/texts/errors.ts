// Maps domain error codes to the Indonesian text the user reads: the one place that does so.
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { formatDateTime } from '../../domain/format.js';
import { accessTexts } from './access.js';
import { texts } from './common.js';
import { printTexts } from './print.js';

const NOT_YOUR_STEP = 'Mohon maaf, langkah ini bukan tugas Bapak/Ibu.';

/** A target outside the actor's scope, in the words of the feature that asked (never naming the target). */
function accessDeniedText(operation: string): string {
  switch (operation) {
    case 'actOnStep':
      return NOT_YOUR_STEP;
    case 'caseDocument':
      return printTexts.caseNotVisible;
    case 'issueLinkCode':
    case 'nominate':
      return texts.notYourUnit;
    case 'caseDetail':
    case 'caseEvidence':
    case 'caseEvents':
    case 'recap':
    case 'export':
    case 'nominations':
      return accessTexts.notYoursToSee;
    default:
      return accessTexts.notYoursToDo;
  }
}

export function domainErrorText(error: DomainError, timeZone: AgencyTimeZone = 'Asia/Jakarta'): string {
  const d = error.details;
  switch (error.code) {
    case 'ALREADY_PROCESSED': {
      const at = typeof d.at === 'string' ? formatDateTime(new Date(d.at), timeZone) : null;
      return d.by && at ? `Sudah diproses oleh ${String(d.by)} pada ${at}.` : 'Langkah ini sudah diproses sebelumnya.';
    }
    case 'NOT_ASSIGNEE':
      return NOT_YOUR_STEP;
    case 'SELF_APPROVAL':
      return 'Mohon maaf, Bapak/Ibu tidak dapat menyetujui atau menilai pengajuan sendiri.';
    case 'STEP_MISMATCH':
    case 'STEP_ALREADY_DONE':
      return 'Tombol ini sudah tidak berlaku: pengajuan sudah berpindah tahap.';
    case 'CASE_CLOSED':
      return 'Pengajuan ini sudah selesai atau dibatalkan.';
    case 'CASE_RETURNED':
      return 'Pengajuan ini sedang dikembalikan kepada pegawai untuk diperbaiki.';
    case 'CASE_NOT_FOUND':
      return 'Pengajuan tidak ditemukan.';
    case 'MISSING_KELENGKAPAN':
    case 'INVALID_KELENGKAPAN':
      return 'Isian belum lengkap atau belum sesuai. Silakan periksa kembali sebelum mengirim.';
    case 'RETURN_NOT_ALLOWED':
      return 'Langkah ini tidak dapat dikembalikan.';
    case 'REASON_TOO_SHORT':
      return 'Alasan terlalu singkat: mohon tulis minimal 10 karakter agar pegawai tahu apa yang harus diperbaiki.';
    case 'REASON_REQUIRED':
      return 'Mohon sertakan alasan.';
    case 'NOT_RETURNED':
      return 'Pengajuan ini tidak sedang dikembalikan, jadi tidak perlu dikirim ulang.';
    case 'ADMIN_ONLY':
      return 'Mohon maaf, hanya admin BKPP yang dapat melakukan ini.';
    case 'CASE_NOT_VISIBLE':
      return printTexts.caseNotVisible;
    case 'DOCUMENT_NOT_READY':
      return printTexts.notReady;
    case 'DOCUMENT_NOT_AVAILABLE':
      return printTexts.notAvailable;
    case 'UNKNOWN_PROCEDURE':
      return 'Prosedur tidak dikenal. Hubungi admin BKPP.';
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
    case 'ACCESS_DENIED':
      return accessDeniedText(String(d.operation ?? ''));
    case 'EMPLOYEE_INACTIVE_SELF':
      return accessTexts.inactiveInRoster(null);
    case 'NOT_YOUR_UNIT':
      return texts.notYourUnit;
    case 'NOT_LINKED':
      return texts.notLinkedTarget(String(d.nama ?? 'Pegawai'));
    case 'ORG_RATING_LOCKED':
      return 'Capaian kinerja organisasi periode ini tidak dapat diubah lagi: sudah ada predikat pegawai yang dikonfirmasi.';
    case 'INVALID_PERIOD':
      return 'Periode tidak dikenali. Gunakan tahun YYYY atau bulan YYYY-MM.';
    case 'UNIT_NOT_FOUND':
      return 'Perangkat daerah tidak ditemukan.';
    case 'INVALID_RETURN_TARGET':
      return 'Langkah ini tidak dapat dikembalikan.';
    case 'ROSTER_ALREADY_DECIDED':
      return texts.rosterAlreadyDecided;
    default:
      return texts.unexpectedError;
  }
}
