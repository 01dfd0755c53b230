// Maps domain error codes to the Indonesian text the user reads: the one place that does so.
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { DomainError } from '../../domain/errors.js';
import { formatDateTime } from '../../domain/format.js';
import { accessTexts } from './access.js';
import { texts } from './common.js';
import { broadcastErrorText } from './broadcast.js';
import { keberatanTexts } from './keberatan.js';
import { wakilErrorText } from './operations.js';
import { printTexts } from './print.js';

/** A code that only a bad deployment config reaches (calendar, procedures, time zone): the operator must fix it. */
const CONFIG_FAULT = 'Mohon maaf, pengaturan sistem belum lengkap untuk permintaan ini. Mohon sampaikan kepada admin BKPP.';

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
      return 'Periode tidak dikenali. Gunakan tahun (2026), bulan (2026-05), triwulan (2026-T2) atau semester (2026-S1).';
    case 'UNIT_NOT_FOUND':
      return 'Perangkat daerah tidak ditemukan.';
    case 'INVALID_RETURN_TARGET':
      return 'Langkah ini tidak dapat dikembalikan.';
    case 'ROSTER_ALREADY_DECIDED':
      return texts.rosterAlreadyDecided;
    case 'BROADCAST_ALREADY_DECIDED':
    case 'BROADCAST_NOT_YOURS':
    case 'BROADCAST_NOT_FOUND':
      return broadcastErrorText(error) ?? texts.unexpectedError;
    case 'DELEGATION_USAGE':
    case 'DELEGATION_NOT_ALLOWED':
    case 'DELEGATION_OVERLAP':
    case 'DATE_INVALID':
    case 'DATE_ORDER':
    case 'DATE_PAST':
    case 'RANGE_TOO_LONG':
    case 'SUBSTITUTE_SELF':
    case 'SUBSTITUTE_INACTIVE':
    case 'SUBSTITUTE_ON_LEAVE':
      return wakilErrorText(error, timeZone) ?? texts.unexpectedError;
    case 'KEBERATAN_NO_RESULT':
      return keberatanTexts.noResult(String(d.period ?? ''));
    case 'KEBERATAN_NOT_RECEIVED':
      return keberatanTexts.notReceived(String(d.period ?? ''));
    case 'KEBERATAN_WINDOW_CLOSED':
      return keberatanTexts.windowClosed(String(d.period ?? ''), String(d.closesOn ?? ''), timeZone);
    case 'KEBERATAN_ALREADY_FILED':
      return keberatanTexts.alreadyFiled(String(d.period ?? ''), String(d.status ?? ''));
    case 'SKP_NOT_ESTABLISHED':
      return 'SKP tahun ini belum ditetapkan, sehingga realisasi belum dapat diisi. Ketik /status untuk melihat posisi SKP Bapak/Ibu.';
    case 'SKP_DRAFT_INCOMPLETE':
    case 'REALISASI_INCOMPLETE':
      return 'Isian belum lengkap. Silakan periksa kembali sebelum mengirim.';
    case 'SELF_NOMINATION':
      return 'Mohon maaf, pegawai tidak dapat diusulkan oleh dirinya sendiri.';
    case 'CALENDAR_NO_WORKING_TIME':
    case 'NO_SUCH_WORKING_DAY':
    case 'INVALID_CALENDAR':
    case 'INVALID_TIME':
    case 'INVALID_TIME_ZONE':
    case 'INVALID_PROCEDURE':
    case 'INVALID_OVERRIDES':
    case 'INVALID_WAKTU':
    case 'UNKNOWN_STEP':
      return CONFIG_FAULT;
    case 'INVALID_ARGUMENT':
    case 'INVALID_COUNTS':
    case 'INVALID_DATE':
    case 'INVALID_ORG_RATING':
    case 'INVALID_RATING':
    case 'PROCEDURE_MISMATCH':
      // Values the bot itself built went wrong: a bug, apologised for, logged by the caller.
      return texts.unexpectedError;
    default: {
      // Every ErrorCode has a text above: a new code without one does not compile here.
      const unmapped: never = error.code;
      return unmapped;
    }
  }
}
