// Unit: the ASN Berprestasi certificate renders from fixture data and carries every field and its verification code.
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf, type CertificateData } from '../../src/app/certificate.js';
import { pdfFlatText, pdfPagesText } from '../support/pdf-text.js';

const data: CertificateData = {
  caseId: '00000000-0000-4000-8000-000000000009',
  caseVersion: 9,
  year: '2026',
  instansiName: 'Pemerintah Kabupaten Balangan',
  timeZone: 'Asia/Makassar',
  nominee: { nama: 'Melati Kusuma, A.Md.Keb', nip: '199011052019022001', jabatan: 'Bidan Terampil' },
  perangkatDaerah: 'Dinas Kesehatan',
  score: '92',
  signer: { nama: 'Drs. Hendra Gunawan, M.Si', nip: '197203151998031004', jabatan: 'Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia' },
  signerUnit: 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
};

describe('ASN Berprestasi certificate PDF', () => {
  it('prints name, NIP, perangkat daerah, year, score, the BKPP signature block and the verification code', async () => {
    // 2026-12-04 17:30 UTC is 5 December 01.30 WITA: the printed date is the agency-local one.
    const pdf = await renderCertificatePdf(data, { verificationCode: 'ABCD2345EF', printedAt: new Date('2026-12-04T17:30:00Z'), compress: false });
    expect(pdfPagesText(pdf)).toHaveLength(1);
    const text = pdfFlatText(pdf);
    expect(text).toContain('SERTIFIKAT');
    expect(text).toContain('ASN BERPRESTASI TAHUN 2026');
    expect(text).toContain('Melati Kusuma, A.Md.Keb');
    expect(text).toContain('NIP. 19901105 201902 2 001');
    expect(text).toContain('Perangkat Daerah: Dinas Kesehatan');
    expect(text).toContain('dengan nilai 92');
    expect(text).toContain('Balangan, 5 Desember 2026');
    expect(text).toContain('Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia');
    expect(text).toContain('Drs. Hendra Gunawan, M.Si');
    expect(text).toContain('NIP. 19720315 199803 1 004');
    expect(text).toContain('Kode verifikasi: ABCD2345EF');
    expect(text).toContain('/verifikasi ABCD2345EF');
    expect(text).not.toMatch(/undefined|null|00000000-/);
  });

  it('leaves a blank signature line when the roster names no head of the BKPP', async () => {
    const pdf = await renderCertificatePdf({ ...data, signer: null, signerUnit: null }, { verificationCode: 'ABCD2345EF', printedAt: new Date('2026-12-04T03:00:00Z'), compress: false });
    const text = pdfFlatText(pdf);
    expect(text).toContain('Kepala BKPSDM');
    expect(text).toContain('NIP. ....');
  });
});
